"""Faster `get_FOO_display()` for models shown in long lists.

Django's version builds a dict of every choice at each call, hashing each lazy label, which
translates it: 18 stages cost ~0.5 ms per call here, and a status page or review page calls
it several times. This one keeps the value → label dict per field and translates only the
label it returns; the result is the same.
"""

from django.utils.encoding import force_str

_labels_by_field: dict = {}


class ChoiceDisplayMixin:
    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name
        labels = _labels_by_field.get(field)
        if labels is None:
            labels = _labels_by_field[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
