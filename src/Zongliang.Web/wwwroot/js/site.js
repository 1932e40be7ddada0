// Puts the cursor into the first field that has a message, so a correction starts where the problem is.
document.addEventListener("DOMContentLoaded", () => {
    const invalid = document.querySelector(".input-validation-error");
    if (invalid) invalid.focus();
});

// Parts of a page marked data-refresh="URL" reload their content from URL while the page is visible
// (e.g. an outlet's latest readings), so new data show without reloading the page: every 2 s, or, with
// data-stream="URL" (server-sent events), as soon as the server says there is something new, with a
// poll every 30 s in case the stream is down.
document.addEventListener("DOMContentLoaded", () => {
    for (const part of document.querySelectorAll("[data-refresh]")) {
        let busy = false, again = false;
        const refresh = async () => {
            if (document.visibilityState !== "visible") return;
            if (busy) { again = true; return; }
            busy = true;
            try {
                const response = await fetch(part.dataset.refresh, { credentials: "same-origin" });
                if (response.ok) part.innerHTML = await response.text();
            } catch {
                // Offline for a moment: the next notice or tick tries again.
            } finally {
                busy = false;
                if (again) { again = false; refresh(); }
            }
        };
        if (part.dataset.stream && window.EventSource) {
            new EventSource(part.dataset.stream).onmessage = refresh;
            setInterval(refresh, 30000);
        } else {
            setInterval(refresh, 2000);
        }
    }
});
