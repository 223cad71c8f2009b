"""The adapter kit: lenient fields, status maps, money, time parsing, dimensions, paging
strategies, id sets and JSON shape guards. The rules are in docs/field_mapping.md."""
