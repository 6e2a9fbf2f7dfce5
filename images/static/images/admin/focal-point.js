// Click the picture to set its focal point; the number fields follow, and
// typing in them moves the marker. Crops keep this point in view.
"use strict";
{
  function setup(picker) {
    const x = document.getElementById(picker.dataset.x);
    const y = document.getElementById(picker.dataset.y);
    const marker = picker.querySelector(".focal-picker__marker");
    const show = () => {
      marker.style.left = `${parseFloat(x.value || 0.5) * 100}%`;
      marker.style.top = `${parseFloat(y.value || 0.5) * 100}%`;
    };
    picker.addEventListener("click", (event) => {
      const box = picker.querySelector("img").getBoundingClientRect();
      const clamp = (v) => Math.min(1, Math.max(0, v));
      x.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      y.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".focal-picker").forEach(setup);
  });
}
