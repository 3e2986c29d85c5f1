"""Analytics: poolbook results as pandas DataFrames and plain lists of dicts."""
