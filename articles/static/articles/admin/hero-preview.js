// Show the chosen hero image under its autocomplete box as soon as it is picked.
"use strict";
{
  document.addEventListener("DOMContentLoaded", () => {
    const preview = document.querySelector(".hero-preview[data-preview-url]");
    const select = document.getElementById("id_hero_image");
    if (!preview || !select || !window.django || !django.jQuery) return;
    django.jQuery(select).on("change", async () => {
      preview.replaceChildren();
      if (!select.value) return;
      const url = preview.dataset.previewUrl.replace("/0/", `/${select.value}/`);
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      const img = document.createElement("img");
      img.src = data.url;
      img.alt = data.alt;
      img.className = "hero-preview__img";
      const credit = document.createElement("p");
      credit.className = "help";
      credit.textContent = data.credit;
      preview.append(img, credit);
    });
  });
}
