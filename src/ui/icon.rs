//! The window icon, from `assets/icon.png` (drawn by `scripts/make-icon.py`).

pub const PNG: &[u8] = include_bytes!("../../assets/icon.png");

pub fn icon_data() -> egui::IconData {
    eframe::icon_data::from_png_bytes(PNG).unwrap_or_default()
}
