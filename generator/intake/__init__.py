"""Data entering from outside: partners' progress workbooks and the financial administration's exports.

`layout` (what a workbook looks like), `send` (workbooks out), `receive` (workbooks in, every cell
checked), `merge` (answers into voortgang YAML), `finance_import` (ledger export -> budget lines).
openpyxl and ruamel.yaml are imported only here, so `make agenda` never loads them.
May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
