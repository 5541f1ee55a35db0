"""Key statistics (*nøgletal*) from Statistics Denmark (Danmarks Statistik) for the planning report.

The flow of a figure: a StatBank CSV file (downloaded, or fetched from the StatBank API) is read
by :mod:`~aarshjul.stats.statbank_csv`; a table mapping (:mod:`~aarshjul.stats.table_mappings`, one
small YAML file per table) says which rows make which series; :mod:`~aarshjul.stats.figure_series`
turns the rows into observations for the organisation's area; :mod:`~aarshjul.stats.figure_store`
upserts them and reads them back per organisation, table and years; :mod:`~aarshjul.stats.stat_charts`
draws them. :mod:`~aarshjul.stats.statbank_api` builds the same request against the public API.

Nothing here imports matplotlib or httpx at import time. The format and the tables are described
in ``docs/statistics.md``.
"""
