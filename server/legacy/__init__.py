"""`terrain-server import-legacy`: bring a database and upload directory of the original system in.

Small modules, one per kind of legacy row (users, models, tables, orders), each turning a batch
of legacy rows into rows of this schema; `run` drives them batch by batch, one transaction per
batch, and `ledger` remembers what was imported so a second run changes nothing.
"""
