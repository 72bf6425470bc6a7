from django.shortcuts import render

from members.selectors import home_figures


def home(request):
    return render(request, "home.html", home_figures())
