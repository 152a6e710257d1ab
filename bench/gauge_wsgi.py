"""A WSGI app that does nothing: `make bench` serves it under the same gunicorn first, as a gauge of how
fast this (virtual) machine is running at the time, so runs on different days can be compared."""

BODY = b"<!doctype html><title>gauge</title>" + b"<p>nothing</p>" * 140


def application(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
