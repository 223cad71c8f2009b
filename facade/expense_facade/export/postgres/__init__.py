"""PostgreSQL for the export's state and output (the ``postgres`` extra, psycopg 3): the
connection a ``postgresql://`` URL names, versioned migrations, the per-account advisory
lock and the destination table (docs/scale.md).
"""
