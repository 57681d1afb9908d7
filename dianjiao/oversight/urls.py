from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("checklists/", views.templates, name="templates"),
    path("checklists/new/", views.template_new, name="template_new"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/export.xlsx", views.inspections_export, name="inspections_export"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/correct/", views.inspection_correct, name="inspection_correct"),
    path("inspections/photos/<int:pk>/", views.inspection_photo, name="inspection_photo"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/export.xlsx", views.rectifications_export, name="rectifications_export"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/accept/", views.rectification_accept, name="rectification_accept"
    ),
    path(
        "rectifications/<int:pk>/return/", views.rectification_return, name="rectification_return"
    ),
    path(
        "rectifications/<int:pk>/evidence/",
        views.rectification_evidence,
        name="rectification_evidence",
    ),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/submit/", views.bulletin_submit, name="bulletin_submit"),
    path("bulletins/<int:pk>/approve/", views.bulletin_approve, name="bulletin_approve"),
    path("bulletins/<int:pk>/return/", views.bulletin_return, name="bulletin_return"),
    path("bulletins/<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path(
        "bulletins/<int:pk>/checkpoints.json",
        views.bulletin_checkpoints,
        name="bulletin_checkpoints",
    ),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/compute/", views.assessment_compute, name="assessment_compute"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/publish/", views.assessment_publish, name="assessment_publish"),
    path("assessments/<int:pk>/export.xlsx", views.assessment_export, name="assessment_export"),
    path("assessments/<int:pk>/assessment.docx", views.assessment_docx, name="assessment_docx"),
    path("assessments/scores/<int:pk>/amend/", views.score_amend, name="score_amend"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path(
        "trainings/<int:pk>/materials/add/",
        views.training_material_add,
        name="training_material_add",
    ),
    path("trainings/materials/<int:pk>/", views.training_material, name="training_material"),
    path(
        "trainings/materials/<int:pk>/withdraw/",
        views.training_material_withdraw,
        name="training_material_withdraw",
    ),
    path("trainings/cadres/", views.cadres, name="cadres"),
    path("trainings/cadres/<int:village>/<path:name>/", views.cadre_detail, name="cadre"),
    path("demonstration/", views.demos, name="demos"),
    path("demonstration/export.xlsx", views.demos_export, name="demos_export"),
    path("demonstration/new/", views.demo_new, name="demo_new"),
    path("demonstration/<int:pk>/", views.demo_detail, name="demo"),
    path("demonstration/<int:pk>/edit/", views.demo_edit, name="demo_edit"),
    path("demonstration/<int:pk>/name/", views.demo_name, name="demo_name"),
]
