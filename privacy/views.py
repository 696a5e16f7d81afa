from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/contact.html")
