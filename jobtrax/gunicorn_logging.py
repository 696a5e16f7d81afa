"""gunicorn's logger with client IP addresses truncated, as the request log keeps them.

gunicorn's error log names the client in some lines ("Invalid request from ip=203.0.113.9",
a worker's failure while serving someone). Every message and argument passes through
`truncate_ips` first: IPv4 to its /24, IPv6 to its /48. The access log stays off (see the
Dockerfile): the app keeps its own minimal request log.

Used as `gunicorn --logger-class jobtrax.gunicorn_logging.TruncatedIPLogger` (the Dockerfile,
docker-compose.yml and the README's command).
"""

import ipaddress
import re

from gunicorn.glogging import Logger

from jobtrax.net import truncate_ip

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![\w:])")


def _truncated(match: re.Match) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return text  # a time such as 20:39:27, or a version number
    return truncate_ip(text) or text


def truncate_ips(value):
    if not isinstance(value, str):
        return value
    return _IPV6.sub(_truncated, _IPV4.sub(_truncated, value))


def _clean_args(args):
    if isinstance(args, dict):
        return {key: truncate_ips(value) for key, value in args.items()}
    return tuple(truncate_ips(value) for value in args)


class TruncatedIPLogger(Logger):
    def critical(self, msg, *args, **kwargs):
        super().critical(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(truncate_ips(str(msg)), *_clean_args(args), **kwargs)

    def log(self, lvl, msg, *args, **kwargs):
        super().log(lvl, truncate_ips(str(msg)), *_clean_args(args), **kwargs)
