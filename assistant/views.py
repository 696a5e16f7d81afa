from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assistant import services
from assistant.client import AssistantUnavailable


class AssistantForm(forms.Form):
    task = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in services.TASKS.items()], label="What to do"
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Your text",
        help_text="Only this text is sent to the AI provider. Leave out anything sensitive.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.AI_MAX_INPUT_CHARS


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    if not services.assistant_enabled():
        raise Http404("The writing assistant is not available on this site.")
    answer = None
    status = 200
    form = AssistantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.assistant_run(
                user=request.user, task=form.cleaned_data["task"], text=form.cleaned_data["text"]
            )
        except services.AssistantRefused as exc:
            form.add_error(None, str(exc))
            status = 403 if "restricted" in str(exc) else 400
        except AssistantUnavailable:
            form.add_error(
                None, "The AI provider did not answer. Your text is still here; try again."
            )
            status = 503
    elif request.method == "POST":
        status = 400
    return render(
        request, "assistant/assistant.html", {"form": form, "answer": answer}, status=status
    )
