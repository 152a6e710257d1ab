// Posting, replying and liking in place. Without this file every form still works with a plain POST.
(function () {
  "use strict";

  var section = document.querySelector("[data-comment-section]");
  if (!section || !window.fetch || !window.FormData) {
    return;
  }
  var live = section.querySelector("[data-comment-live]");

  function announce(text) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function setCount(count) {
    section.querySelectorAll("[data-comment-count]").forEach(function (node) {
      node.textContent = String(count);
    });
    section.querySelectorAll("[data-comment-count-text]").forEach(function (node) {
      node.textContent = count + (count === 1 ? " comment" : " comments");
    });
  }

  function send(form, action) {
    return fetch(action || form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function showError(form, message) {
    var box = form.querySelector("[data-form-error]");
    if (box) {
      box.textContent = message;
    } else {
      window.alert(message);
    }
  }

  function elementFrom(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function place(item, parentId) {
    var list;
    if (parentId) {
      var parent = document.getElementById("comment-" + parentId);
      if (!parent) { return false; }
      list = parent.querySelector(":scope > [data-comment-replies]");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-replies";
        list.setAttribute("data-comment-replies", "");
        parent.appendChild(list);
      }
      list.appendChild(item);
    } else {
      list = section.querySelector("[data-comment-list]");
      if (list.getAttribute("data-sort") === "newest") {
        list.insertBefore(item, list.firstChild);
      } else {
        list.appendChild(item);
      }
      var empty = section.querySelector("[data-comments-empty]");
      if (empty) { empty.remove(); }
    }
    return true;
  }

  function postComment(form) {
    var button = form.querySelector("button[type=submit]");
    var textarea = form.querySelector("textarea");
    if (button) { button.disabled = true; }
    showError(form, "");
    send(form).then(function (result) {
      var data = result.data;
      if (!data.ok) {
        if (data.nudge) { form.submit(); return; }  // the server page shows the note and a confirm box
        showError(form, data.error || "Your comment could not be posted.");
        if (textarea) { textarea.focus(); }
        return;
      }
      var item = document.getElementById("comment-" + data.id);
      if (!item) {
        item = elementFrom(data.html);
        if (!place(item, data.parent)) { window.location.assign(form.action.replace(/post\/\d+\/$/, data.id + "/")); return; }
      }
      item.classList.add("comment-new");
      item.setAttribute("tabindex", "-1");
      item.focus();
      if (textarea) { textarea.value = ""; }
      var details = form.closest("details");
      if (details) { details.open = false; }
      var opened = form.closest("[data-opened-form]");
      if (opened) { opened.remove(); }
      setCount(data.count);
      announce(data.message || "Your comment is posted.");
    }).catch(function () {
      form.submit();
    }).finally(function () {
      if (button) { button.disabled = false; }
    });
  }

  // A small action sent in place (like, report): its button waits for the answer; a refusal is read out,
  // and without an answer the form is sent the plain way.
  // `button` is the one pressed when it sends a shared form to its own address (formaction).
  function act(form, done, button) {
    var action = button ? button.formAction : form.action;
    button = button || form.querySelector("button[type=submit], button");
    button.disabled = true;
    send(form, action).then(function (result) {
      var data = result.data;
      if (!data.ok) { announce(data.error || "That did not work."); return; }
      done(data, button);
    }).catch(function () {
      form.action = action;
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  }

  function toggleLike(form, pressed) {
    act(form, function (data, button) {
      button.setAttribute("aria-pressed", data.liked ? "true" : "false");
      button.querySelector("[data-like-label]").textContent = data.liked ? "Liked" : "Like";
      button.querySelector("[data-like-count]").textContent = String(data.count);
      announce(data.liked ? "Liked." : "Like taken back.");
    }, pressed);
  }

  // "More comments": fetch the next page of threads and append it, keeping the reader's place.
  function loadMore(link) {
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var list = section.querySelector("[data-comment-list]");
      var first = null;
      next.querySelectorAll("[data-comment-list] > li").forEach(function (item) {
        if (!document.getElementById(item.id)) {
          list.appendChild(document.importNode(item, true));
          first = first || document.getElementById(item.id);
        }
      });
      var pages = section.querySelector(".comment-pages");
      var newPages = next.querySelector(".comment-pages");
      if (pages && newPages) { pages.replaceWith(document.importNode(newPages, true)); }
      if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
      announce("More comments loaded.");
    }).catch(function () {
      window.location.assign(link.href);
    });
  }

  // "Reply" and "Report" lead to pages of their own; here they open the page's one copy of that form
  // under the comment instead (a second click closes it).
  function openForm(link, kind) {
    var item = link.closest("li.comment");
    var template = document.getElementById("comment-" + kind + "-template");
    if (!item || !template) { return false; }
    var id = item.getAttribute("data-comment-id");
    var open = item.querySelector(":scope > article [data-opened-form]");
    if (open) {
      var same = open.getAttribute("data-opened-form") === kind;
      open.remove();
      link.setAttribute("aria-expanded", "false");
      if (same) { return true; }
    }
    var box = document.createElement("div");
    box.className = "comment-" + kind;
    box.setAttribute("data-opened-form", kind);
    box.appendChild(template.content.cloneNode(true));
    box.querySelectorAll("[id]").forEach(function (node) { node.id = node.id + id; });
    box.querySelectorAll("label[for]").forEach(function (node) {
      node.setAttribute("for", node.getAttribute("for") + id);
    });
    var form = box.querySelector("form");
    if (kind === "reply") {
      form.querySelector("input[name=parent]").value = id;
      var author = item.querySelector(".comment-author");
      var label = box.querySelector("[data-reply-label]");
      if (author && label) { label.textContent = "Your reply to " + author.textContent; }
    } else {
      form.action = link.href;
    }
    link.closest(".comment-actions").after(box);
    link.setAttribute("aria-expanded", "true");
    var field = box.querySelector("textarea, input[type=radio]");
    if (field) { field.focus(); }
    return true;
  }

  function report(form) {
    act(form, function (data) {
      var box = form.closest("[data-opened-form]");
      if (box) { box.remove(); }
      announce(data.message || "Thank you.");
    });
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest("[data-comment-more]");
    if (link) {
      event.preventDefault();
      loadMore(link);
      return;
    }
    link = event.target.closest("[data-reply-link], [data-report-link]");
    if (link && openForm(link, link.hasAttribute("data-reply-link") ? "reply" : "report")) {
      event.preventDefault();
    }
  });

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      postComment(form);
    } else if (form.matches("[data-like-form]") && event.submitter) {
      // The page's one like form, sent by a comment's Like button (without `submitter`: sent the plain way).
      event.preventDefault();
      toggleLike(form, event.submitter);
    } else if (form.matches("[data-report-form]") && form.closest("[data-opened-form]")) {
      event.preventDefault();
      report(form);
    }
  });
})();
