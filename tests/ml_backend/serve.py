"""Run the keyword backend on 127.0.0.1: ``python serve.py PORT MODEL_DIR`` (label-studio-ml's
Flask app, as its ``_wsgi.py`` template runs it)."""

import os
import sys

os.environ.setdefault("LABEL_STUDIO_ML_BACKEND_V2", "1")
os.environ.setdefault("AUTO_UPDATE", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from label_studio_ml.api import init_app  # noqa: E402

from keyword_model import KeywordModel  # noqa: E402

if __name__ == "__main__":
    app = init_app(model_class=KeywordModel, model_dir=sys.argv[2])
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, threaded=True)
