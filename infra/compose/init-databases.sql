-- The Postgres of the compose stack holds three databases: flowgen (interactions), mlflow, prefect.
CREATE DATABASE mlflow;
CREATE DATABASE prefect;
