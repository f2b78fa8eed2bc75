"""The interaction store: schema and migrations, the demo population, windowed extraction.

Entry points: `migrate.upgrade(url)`, `seed.seed(url, SeedConfig(...))`,
`extract.extract(url, week) -> Extraction`, `stats.stats(url)`. See docs/store.md.
"""
