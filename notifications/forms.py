from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .audiences import mass_audiences
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
    """A mass notice composed in words: who (an audience registered by the app that owns the
    data, e.g. "审核通过的报考人员"), of which announcement or position (chosen from lists),
    what, and by which channels. Nothing is typed as JSON or as an id. `clean()` counts the
    recipients; an empty, missing or impossible choice is an error on its field.

    After validation: cleaned_data["params"] (dict for the audience callable),
    ["recipient_count"] (int) and ["audience_text"] (the recipients in words).
    """

    audience = forms.ChoiceField(
        label=_("接收对象"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择接收对象。"), "invalid_choice": _("请选择列出的接收对象。")},
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
        self.audiences = {audience.name: audience for audience in mass_audiences()}
        self.fields["audience"].choices = [(name, a.label) for name, a in self.audiences.items()]
        # One list per kind of choice (招聘公告, 岗位…), shared by the audiences that need it.
        self.param_fields = {}
        for audience in self.audiences.values():
            for param in audience.params:
                if param.name in self.param_fields:
                    continue
                self.param_fields[param.name] = param
                self.fields[param.name] = forms.TypedChoiceField(
                    label=param.label,
                    coerce=int,
                    required=False,
                    choices=[("", _("请选择"))] + list(param.choices()),
                    error_messages={"invalid_choice": _("请从列表中选择。")},
                    help_text=_("按所选接收对象需要选择。"),
                )
        order = ["audience", *self.param_fields, "subject", "body", "channels"]
        self.order_fields(order)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        audience = self.audiences.get(cleaned.get("audience"))
        if audience is None:
            return cleaned
        params = {}
        for param in audience.params:
            value = cleaned.get(param.name)
            if self.has_error(param.name):
                continue
            if value in (None, ""):
                self.add_error(
                    param.name,
                    forms.ValidationError(
                        _("“%(audience)s”须选择%(what)s。"),
                        params={"audience": audience.label, "what": param.label},
                        code="required",
                    ),
                )
                continue
            params[param.name] = value
        if len(params) != len(audience.params):
            return cleaned
        cleaned["params"] = params
        cleaned["audience_text"] = audience.words(params)
        result = audience.func(**params)
        count = result.count() if isinstance(result, QuerySet) else len(list(result))
        cleaned["recipient_count"] = count
        if count == 0:
            self.add_error(
                "audience",
                forms.ValidationError(
                    _("%(audience)s目前没有接收人，请换一个对象。"),
                    params={"audience": cleaned["audience_text"]},
                    code="empty",
                ),
            )
        return cleaned
