"""Input formats of en: ISO first (see dangqun/formats/iso.py), then Django's own."""

from django.conf.locale.en import formats as django_formats

from dangqun.formats.iso import ISO_DATE, ISO_DATETIME, ISO_TIME, first

DATE_INPUT_FORMATS = first([ISO_DATE], django_formats.DATE_INPUT_FORMATS)
TIME_INPUT_FORMATS = first(ISO_TIME, django_formats.TIME_INPUT_FORMATS)
DATETIME_INPUT_FORMATS = first(ISO_DATETIME, django_formats.DATETIME_INPUT_FORMATS)
