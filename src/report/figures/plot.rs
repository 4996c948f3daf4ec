//! Plot pieces shared by the figures (plotters, SVG backend).

use plotters::coord::CoordTranslate;
use plotters::prelude::*;

/// Draws the series legend of `chart` at `pos` in the style every figure uses: a translucent white box, black border.
pub fn draw_legend<'a, DB, CT>(chart: &mut ChartContext<'a, DB, CT>, pos: SeriesLabelPosition) -> super::DrawResult
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    CT: CoordTranslate,
{
    chart.configure_series_labels().position(pos).background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    Ok(())
}
