"""What a reader's words say, read without the database: words and stopwords
(text.py), the curated medical vocabulary (vocabulary.py, vocabulary.tsv) and
the emergency wording (emergency.py).

A bottom layer beside `lib`: plain Python that imports nothing from Askwell, so
every app may use it (`questions` to find a question's type and its jargon,
`search` to understand a query). What needs the content (which topics exist,
the search index) stays with the app that owns it and is passed in.
"""
