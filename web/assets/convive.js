// Convive's one script: a new account takes the browser's time zone (the sign-up form's hidden field); without it, the instance's default zone.
(function () { var field = document.getElementById("browser-timezone"); if (field) { try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { field.value = ""; } } })();
