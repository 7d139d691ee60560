from django.urls import path

from lianxin.surveys import views, views_answer

app_name = "surveys"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new/", views.questionnaire_new, name="new"),
    path("mine/", views_answer.mine, name="mine"),
    path("<int:pk>/", views.questionnaire_detail, name="detail"),
    path("<int:pk>/edit/", views.questionnaire_edit, name="edit"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/questions/<int:qid>/up/", views.question_up, name="question_up"),
    path("<int:pk>/publish/", views.questionnaire_publish, name="publish"),
    path("<int:pk>/close/", views.questionnaire_close, name="close"),
    path("<int:pk>/results/", views.questionnaire_results, name="results"),
    path("<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("<int:pk>/responses.xlsx", views.responses_export, name="responses_export"),
    path("<int:pk>/answer/", views_answer.answer, name="answer"),
]
