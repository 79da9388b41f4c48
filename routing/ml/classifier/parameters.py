"""The router's model settings and its storage format version."""

import numpy as np

FORMAT_VERSION = 1

# Model settings (kept here, not in Django settings: they belong to the trained artefact).
C = 1.0  # LinearSVC regularisation
OOS_WEIGHT = 1.0  # weight of an "oos" training row against an in-scope one
DEFAULT_SCALE = 5.0  # softmax sharpness when there is too little data to fit it
SCALES = np.geomspace(0.5, 50.0, 41)
CV_FOLDS = 5
OOS_RECALL_TARGET = 0.85
# The threshold may go higher than OOS_RECALL_TARGET needs, as long as this share of the
# out-of-fold in-scope questions still reaches its department ("calibration on in-scope
# quantiles"): off-topic traffic of kinds the training data never showed is caught by a
# threshold set from the in-scope side, which does not depend on which off-topic kinds were
# seen (bench/router_oos.py, leave-topic-out). None: the oos rows alone decide.
IN_SCOPE_FLOOR = 0.975
COVERAGE_TARGET = 0.95
DEFAULT_THRESHOLD = 0.5
MAX_TEXT_CHARS = 5000  # a routing decision reads the start of a very long question only
# With an embedder (see "Sentence embeddings" in the package docstring):
EMBEDDING_WEIGHT = 0.7  # the embedding block's weight beside the two l2-normalised TF-IDF blocks
# (the best cross-validated accuracy on CLINC150's training file among 0.3 to 3)
NEIGHBOURS = 5  # in-scope training questions whose mean similarity says "we have seen this"
MIN_OOS_FOR_EMBEDDINGS = 20  # fewer oos rows cannot calibrate the in-scope gate
OOS_TOPICS = 20  # oos training rows are held out by topic (k-means clusters), at most this many
