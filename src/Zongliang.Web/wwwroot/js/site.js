// Puts the cursor into the first field that has a message, so a correction starts where the problem is.
document.addEventListener("DOMContentLoaded", () => {
    const invalid = document.querySelector(".input-validation-error");
    if (invalid) invalid.focus();
});
