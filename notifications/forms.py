import json

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .audiences import all_audiences, get_audience
from .models import Channel, MessageTemplate
from .rendering import InvalidTemplate, compile_template


def _template_field(value: str) -> str:
    try:
        compile_template(value)
    except InvalidTemplate as error:
        raise forms.ValidationError(_("模板语法错误：%(error)s"), params={"error": error}, code="syntax")
    return value


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": _("使用 {{ 变量名 }} 插入内容，例如 {{ position_name }}。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_subject(self):
        return _template_field(self.cleaned_data["subject"])

    def clean_body(self):
        return _template_field(self.cleaned_data["body"])


class MassNoticeForm(forms.Form):
    audience = forms.ChoiceField(label=_("接收对象"))
    params = forms.CharField(
        label=_("接收对象参数"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": '{"announcement_id": 1}'}),
        help_text=_("JSON 对象，例如按公告发送时填写公告编号。"),
    )
    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 6}))
    channels = forms.MultipleChoiceField(
        label=_("同时发送"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("站内消息总会发送。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (a.name, f"{a.label}（{', '.join(a.params)}）" if a.params else a.label) for a in all_audiences()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_params(self):
        raw = (self.cleaned_data.get("params") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("参数必须是 JSON 对象。"), code="json")
        if not isinstance(value, dict):
            raise forms.ValidationError(_("参数必须是 JSON 对象。"), code="json")
        return value

    def clean(self):
        cleaned = super().clean()
        name, params = cleaned.get("audience"), cleaned.get("params")
        if name and params is not None and not self.has_error("params"):
            # Ask the audience now: wrong parameters show here, not later in a worker.
            try:
                result = get_audience(name).func(**params)
                cleaned["recipient_count"] = (
                    result.count() if isinstance(result, QuerySet) else len(list(result))
                )
            except Exception as error:
                self.add_error(
                    "params",
                    forms.ValidationError(_("参数不适用于该接收对象：%(error)s"), params={"error": error}),
                )
        return cleaned
