// Puts the cursor into the first field that has a message, so a correction starts where the problem is.
document.addEventListener("DOMContentLoaded", () => {
    const invalid = document.querySelector(".input-validation-error");
    if (invalid) invalid.focus();
});

// Parts of a page marked data-refresh="URL" reload their content from URL every 2 s while the page is
// visible (e.g. an outlet's latest readings), so new data show without reloading the page.
document.addEventListener("DOMContentLoaded", () => {
    for (const part of document.querySelectorAll("[data-refresh]")) {
        setInterval(async () => {
            if (document.visibilityState !== "visible") return;
            try {
                const response = await fetch(part.dataset.refresh, { credentials: "same-origin" });
                if (response.ok) part.innerHTML = await response.text();
            } catch {
                // Offline for a moment: the next tick tries again.
            }
        }, 2000);
    }
});
