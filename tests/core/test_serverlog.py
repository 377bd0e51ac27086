"""No log line shows a survey invitation's token: gunicorn's access log and Django's own lines."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

from huitoukan.core.serverlog import MaskingLogger, MaskSecretsFilter

TOKEN = "Zq3_k9-ab12CD34ef56GH7"


def test_the_access_log_masks_the_token_in_the_request_line_path_and_referrer():
    logger = MaskingLogger(SimpleNamespace(errorlog="-", loglevel="info", accesslog=None, syslog=False,
                                           logconfig=None, logconfig_dict={}, logconfig_json=None, capture_output=False,
                                           disable_redirect_access_to_syslog=False, access_log_format="",
                                           user=0, group=0, statsd_host=None, dogstatsd_tags="", statsd_prefix=""))
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/gongkai/wenjuan/{TOKEN}/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": f"/gongkai/wenjuan/{TOKEN}/", "QUERY_STRING": "", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": f"http://x/gongkai/wenjuan/{TOKEN}/"}
    request = SimpleNamespace(headers=[("REFERER", f"http://x/gongkai/wenjuan/{TOKEN}/")])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, request, environ, dt.timedelta(seconds=0))
    assert TOKEN not in " ".join(str(v) for v in atoms.values())
    assert atoms["r"] == "GET /gongkai/wenjuan/***/ HTTP/1.1"


def test_djangos_lines_are_masked_too():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (f"/gongkai/wenjuan/{TOKEN}/",), None)
    assert MaskSecretsFilter().filter(record)
    assert record.getMessage() == "Not Found: /gongkai/wenjuan/***/"
