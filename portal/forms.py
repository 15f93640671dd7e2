"""Forms of the portal's own pages."""

from __future__ import annotations

import io

import filetype
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .models import SiteSettings

LOGO_MAX_BYTES = 100 * 1024
LOGO_TYPES = {"image/png", "image/jpeg"}


class SiteSettingsForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=_("标志图片"),
        required=False,
        help_text=_("PNG 或 JPEG，正方形为宜，不超过 100 KB；显示在页面左上角。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("删除现有标志"), required=False)

    class Meta:
        model = SiteSettings
        fields = [
            "authority_name",
            "authority_name_en",
            "organiser",
            "organiser_en",
            "contact",
            "icp_record",
            "police_record",
        ]
        help_texts = {
            "authority_name": _("显示在网站名称上方，例如“某某区民政局”。留空则使用部署时的默认值。"),
            "icp_record": _("例如：京ICP备12345678号-1。留空则不显示。"),
            "police_record": _("例如：京公网安备11010502000001号。留空则不显示。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("图片不能超过 100 KB。"))
        data = upload.read()
        kind = filetype.guess(data)
        if kind is None or kind.mime not in LOGO_TYPES:
            raise forms.ValidationError(_("请上传 PNG 或 JPEG 图片。"))
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:
            raise forms.ValidationError(_("图片文件已损坏，无法读取。"))
        return data, kind.mime
