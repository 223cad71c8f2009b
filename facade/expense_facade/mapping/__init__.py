"""The adapter kit: lenient fields, status maps, money, time parsing, dimensions, paging
strategies, id sets, JSON shape guards, line agreement and card-transaction checks. The
rules are in docs/field_mapping.md; how to use them in docs/adapter_guide.md.
"""
