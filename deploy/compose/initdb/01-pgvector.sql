-- Runs once, when the PostgreSQL volume is first initialised.
CREATE EXTENSION IF NOT EXISTS vector;
