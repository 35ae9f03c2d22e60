"""The cache server and DatasetCache pipelines."""
