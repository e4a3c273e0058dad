"""The REST server (FastAPI on uvicorn) that shares a DuckDB file with a team."""
