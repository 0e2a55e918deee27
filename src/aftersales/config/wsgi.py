import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Load the Chinese segmenter's dictionary now, beside the first requests, so the
    first knowledge search of each web process is not the one that waits for it."""
    from aftersales.knowledge.segment import words

    words("预热")


threading.Thread(target=_warm, name="warm-jieba", daemon=True).start()
