from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from communique import localforms
from communique.accounts.forms import AdminSignInForm
from communique.accounts.models import User


@admin.register(User)
class CommuniqueUserAdmin(UserAdmin):
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES


# The admin's sign-in also asks for the code of an enrolled authenticator app.
admin.site.login_form = AdminSignInForm
admin.site.login_template = "accounts/admin_login.html"
