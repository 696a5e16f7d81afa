from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def choices(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/choices.html")
