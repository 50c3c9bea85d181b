"""dmst: child sex trafficking law as dated, cited data, and an explainable classifier."""
