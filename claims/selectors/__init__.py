"""Page-level reads (docs/architecture.md, "Layers"): what each page shows, in a fixed number
of queries, and the presenters that shape it for templates. Views call access → selectors or
services → render; rules about single rows live on the models' QuerySets."""
