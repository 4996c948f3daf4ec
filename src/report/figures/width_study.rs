//! The width study (appendix F.2): test error and normalized margin vs width, with the dictionary ℓ1-SVM LP value as a
//! floor. Files: `width.csv`, `width.svg`, `width.json`.

use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::width_study::WidthStudy;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes the figure's files into `dir`.
pub fn write(r: &WidthStudy, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let floor = r.floor.as_ref().map(|f| f.lower / 2.0);
    let mut csv = String::from("width,test_error,normalized_margin,l1_dictionary_floor\n");
    for row in &r.rows {
        let _ =
            writeln!(csv, "{},{},{},{}", row.width, row.test_error, row.normalized_margin, floor.unwrap_or(f64::NAN));
    }
    put(dir, "width.csv", &csv, &mut written)?;
    let file = dir.join("width.svg");
    drawn(&file, svg(r, floor, &file))?;
    written.push(file);
    put_json(dir, "width.json", &serde_json::json!({"figure": "width", "result": r}), &mut written)?;
    Ok(written)
}

fn svg(r: &WidthStudy, floor: Option<f64>, file: &Path) -> DrawResult {
    let root = SVGBackend::new(file, (900, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(450);
    let wmin = r.rows.first().map(|x| x.width).unwrap_or(1) as f64 / 1.5;
    let wmax = r.rows.last().map(|x| x.width).unwrap_or(2) as f64 * 1.5;
    {
        let emax = r.rows.iter().map(|x| x.test_error).fold(0.0, f64::max).max(0.01) * 1.2;
        let mut c = ChartBuilder::on(&left)
            .caption("test error vs width", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(55)
            .build_cartesian_2d((wmin..wmax).log_scale(), 0.0..emax)?;
        c.configure_mesh().x_desc("width m").y_desc("test error").draw()?;
        c.draw_series(LineSeries::new(r.rows.iter().map(|x| (x.width as f64, x.test_error)), &BLUE))?;
        c.draw_series(r.rows.iter().map(|x| Circle::new((x.width as f64, x.test_error), 3, BLUE.filled())))?;
    }
    {
        let gmax = r.rows.iter().map(|x| x.normalized_margin).fold(floor.unwrap_or(0.0), f64::max).max(1e-6) * 1.2;
        let mut c = ChartBuilder::on(&right)
            .caption("normalized margin vs width", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(55)
            .build_cartesian_2d((wmin..wmax).log_scale(), 0.0..gmax)?;
        c.configure_mesh().x_desc("width m").y_desc("γ").draw()?;
        c.draw_series(LineSeries::new(r.rows.iter().map(|x| (x.width as f64, x.normalized_margin)), &BLUE))?
            .label("trained net");
        if let Some(f) = floor {
            c.draw_series(LineSeries::new(vec![(wmin, f), (wmax, f)], &RED))?
                .label("ℓ1-SVM dictionary LP / 2 (a floor)");
        }
        super::plot::draw_legend(&mut c, SeriesLabelPosition::MiddleRight)?;
    }
    root.present()?;
    Ok(())
}
