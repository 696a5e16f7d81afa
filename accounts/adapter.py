from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        services.account_prepare_signup(request=request, user=user, cleaned_data=form.cleaned_data)
        if commit:
            user.save()
            services.account_signed_up(
                request=request,
                user=user,
                marketing_opt_in=bool(form.cleaned_data.get("marketing_opt_in")),
            )
        return user

    def login(self, request: HttpRequest, user) -> None:
        super().login(request, user)
        services.account_logged_in(request=request, user=user)
