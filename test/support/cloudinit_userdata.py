"""Reads user data the way cloud-init 22.4 does and prints JSON on stdout:
  parts     [{filename, content_type, merge_type}] as cloud-init's MIME walk sees them
  config    the merged cloud-config (what the instance's modules get from the user data)
  warnings  what cloud-init logged while processing (a part it could not merge, an unhandled type)
  schema    errors of cloudinit.config.schema's strict validation of the merged config ([] = valid)

usage: /usr/bin/python3 cloudinit_userdata.py USERDATA_FILE
"""
import json
import logging
import sys
import tempfile

from cloudinit import handlers, helpers, user_data
from cloudinit.config.schema import (
    SchemaValidationError,
    get_schema,
    validate_cloudconfig_schema,
)
from cloudinit.handlers.cloud_config import CloudConfigPartHandler
from cloudinit.settings import PER_INSTANCE
from cloudinit import util


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main(path):
    collect = Collect()
    with tempfile.TemporaryDirectory() as tmp:
        paths = helpers.Paths({"cloud_dir": tmp, "run_dir": tmp})
        # Its constructor warns that there is no instance (there is none on this host); not collected.
        handler = CloudConfigPartHandler(paths)
        handler.cloud_fn = tmp + "/cloud-config.txt"
        logging.getLogger().addHandler(collect)
        logging.getLogger().setLevel(logging.WARNING)
        with open(path, "rb") as f:
            blob = f.read()
        # UserDataProcessor gunzips, parses MIME and types each part, as in cloud-init's init stage.
        message = user_data.UserDataProcessor(paths).process(blob)

        parts = []

        def callback(data, filename, payload, headers):
            parts.append(
                {
                    "filename": filename,
                    "content_type": headers["Content-Type"],
                    "merge_type": headers.get("Merge-Type"),
                }
            )
            handlers.walker_callback(data, filename, payload, headers)

        data = {
            "handlers": {"text/cloud-config": handler, "text/cloud-config-jsonp": handler},
            "excluded": [],
            "frequency": PER_INSTANCE,
            "data": None,
            "handlerdir": tmp,
            "handlercount": 0,
        }
        handlers.call_begin(handler, None, PER_INSTANCE)
        handlers.walk(message, callback, data)
        handlers.call_end(handler, None, PER_INSTANCE)
        # What the cloud-config handler wrote is what the modules read back.
        config = util.load_yaml(util.load_file(handler.cloud_fn)) or {}

    schema_errors = []
    try:
        validate_cloudconfig_schema(config, get_schema(), strict=True)
    except SchemaValidationError as e:
        schema_errors = [{"path": p, "message": m} for p, m in e.schema_errors]
    json.dump(
        {
            "parts": parts,
            "config": config,
            "warnings": collect.messages,
            "schema": schema_errors,
        },
        sys.stdout,
        default=str,
    )


if __name__ == "__main__":
    main(sys.argv[1])
