"""Static files storage for production: whitenoise's hashed, compressed manifest storage.

Django's manifest storage rewrites every ``//# sourceMappingURL=`` comment to the map's hashed
name and fails ``collectstatic`` when the map is not there. XStatic packages have shipped
minified files whose maps were left out of the wheel (``leaflet.markercluster.js`` named
``leaflet.markercluster.js.map``, when that package was installed), so production could not
build its manifest at all and every page answered 500.

A source map is a debugging aid that browsers fetch only with the developer tools open; a
missing one breaks no page. So a reference to a *missing source map* is left as written
(and reported once on the console), while every other missing reference — a ``url()`` in a CSS
file, an ``@import`` — still fails ``collectstatic``, because that one would break a page.
"""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger("lianxin.static")


class LianxinStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Manifest storage that tolerates missing source maps, and nothing else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._missing_source_maps: set[tuple[str, str]] = set()

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)
        if template is None or "sourceMappingURL" not in template:
            return convert

        def convert_source_map(matchobj):
            try:
                return convert(matchobj)
            except ValueError as exc:
                if "could not be found" not in str(exc):
                    raise
                missing = (name, matchobj["url"].strip())
                if missing not in self._missing_source_maps:  # post-processing runs in passes
                    self._missing_source_maps.add(missing)
                    logger.warning("%s: source map %s is not shipped; left unhashed", *missing)
                return matchobj["matched"]

        return convert_source_map
