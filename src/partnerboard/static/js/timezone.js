// Report the browser's time zone so the server shows times in it (see ViewerTimeZoneMiddleware).
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && document.cookie.indexOf("pb_tz=" + encodeURIComponent(zone)) === -1) {
    document.cookie = "pb_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }
})();
