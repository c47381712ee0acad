// Clean: client.update used for what it is for.
export function savePreferences(prefs: { darkMode: boolean; language: string }): void {
  window.userengage?.("client.update", {
    is_dark_mode: prefs.darkMode,
    preferred_language: prefs.language,
    preferences_updated: new Date().toISOString().slice(0, 10),
  });
}
