from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("education/", views.page_list, name="pages"),
    path("education/new/", views.page_create, name="create"),
    path("education/unread/", views.unread_report, name="unread"),
    path("education/<uuid:page_uuid>/", views.page_detail, name="page"),
    path("education/<uuid:page_uuid>/edit/", views.page_edit, name="edit"),
    path("education/<uuid:page_uuid>/publish/", views.page_publish, name="publish"),
    path("education/<uuid:page_uuid>/archive/", views.page_archive, name="archive"),
    path(
        "education/<uuid:page_uuid>/translations/<str:language>/",
        views.translation_edit,
        name="translation",
    ),
    path(
        "education/<uuid:page_uuid>/translations/<str:language>/publish/",
        views.translation_publish,
        name="translation_publish",
    ),
    path(
        "education/<uuid:page_uuid>/ready-for-review/",
        views.page_request_review,
        name="request_review",
    ),
    path("education/<uuid:page_uuid>/assign/", views.page_bulk_assign, name="bulk_assign"),
    path(
        "patients/<uuid:patient_uuid>/education/assign/",
        views.patient_assign,
        name="patient_assign",
    ),
    path("my/materials/", views.library, name="library"),
    path("my/materials/<slug:slug>/", views.read_page, name="read"),
    path("my/materials/<slug:slug>/read/", views.acknowledge_page, name="acknowledge"),
]
