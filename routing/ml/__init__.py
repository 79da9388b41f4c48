"""The router without Django: features (TF-IDF words and characters, sentence embeddings),
the classifier with its out-of-scope threshold, and the evaluation that measures it.

Nothing here imports Django or the database; routing.training and routing.router_cache are
the only doors between these modules and the app."""
