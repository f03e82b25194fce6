"""Screenshots of the artist's upload wizard, for the README and the guide.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/artist_screenshots.py

The real wizard on a fresh data directory, with a real OpenForge part when the shared test
data is beside the project (else a bundled sample mesh): the check page (size at the guessed
units, triangles, problems, the 3D preview on a 25 mm grid) and the details page. Those two
steps run on this computer, so no server is needed. Writes docs/screenshots/artist-*.png.
"""

import os
import sys
import tempfile
import time

from screenshots import OUT, testdata_model


def main() -> None:
    os.environ["TERRAIN_DESKTOP_DATA"] = tempfile.mkdtemp(prefix="artist-screenshots-")
    from terrain_desktop.ui.qt import QApplication, QWizard

    app = QApplication.instance() or QApplication(sys.argv)
    from terrain_desktop.app.artist import ArtistOperation
    from terrain_desktop.app.syncing import SyncOperation
    from terrain_desktop.app_data import open_store
    from terrain_desktop.ui.upload_wizard import UploadWizard

    wizard = UploadWizard(ArtistOperation(SyncOperation(open_store())))
    wizard.show()
    wizard.file_page.path.setText(str(testdata_model()))
    wizard.button(QWizard.WizardButton.NextButton).click()
    deadline = time.monotonic() + 120
    while not wizard.check_page.isComplete():
        if time.monotonic() > deadline:
            raise SystemExit(f"the check did not finish: {wizard.check_page.status.text()}")
        app.processEvents()
        time.sleep(0.02)  # a script waiting for a background thread, not a test
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        if wizard.check_page.preview is not None:
            wizard.check_page.preview.render()  # type: ignore[attr-defined]
        app.processEvents()
        wizard.grab().save(str(OUT / f"{name}.png"))
        print(f"wrote docs/screenshots/{name}.png")

    shot("artist-upload-check")
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.details_page
    page.category.setCurrentText("walls")
    page.tags.setText("openforge, dungeon, pool")
    page.price.setText("3.50")
    page.licence.setCurrentIndex(page.licence.findData("commercial-prints"))
    page.description.setPlainText("A three-quarter pool wall for OpenForge dungeons.")
    shot("artist-upload-details")
    wizard.reject()


if __name__ == "__main__":
    main()
