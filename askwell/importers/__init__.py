"""Importing and exporting content: Askwell JSON Lines and the import sources.

Other apps of the top layer (the demo) use the importer only through
`records` (the canonical record types) and `loader` (`Loader`,
`NewAnswers`, `Summary`): they hand records to the loader, which writes
them through each app's import actions, and never write rows themselves.
"""
