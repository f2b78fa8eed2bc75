"""flowgen: the weekly retraining flywheel for a workflow-building agent."""

__version__ = "0.1.0"
