//! `regmatters repro lazy-vs-regularized` — the NeurIPS simulation (CATALOG.md §4 "[NI] §Simulations", marked RECON:
//! the setting below is reconstructed, not read): from the SAME large initialization (every weight ~ N(0, 1)), train
//! a two-layer ReLU net by full-batch gradient descent (lr 0.1) on the mean logistic loss with λ = 0 and with λ > 0
//! (λ‖Θ‖₂² added), on data of a random 10-unit ReLU teacher in d = 20 with margin rejection |f*| ≥ 0.01.
//!
//! Recorded at checkpoints along training, per trial and per λ: the normalized margin min_i y_i f(x_i)/‖Θ‖² (negative
//! while the net misclassifies a training point), the test error on a fresh sample of the same distribution, and the
//! fraction of changed ReLU activation patterns relative to the initialization,
//! [`regmatters::nets::activation::activation_change`], on the TRAINING inputs (the CSV also has it on the test inputs).
//!
//! Tiers: full = the catalog's setting (n = 200, 20000 steps, λ = 5e-4, 20 trials, width 100). Quick = n = 100,
//! width 50, 2000 steps, 6 trials and λ = 5e-3: the weight decay acts through the product lr·λ·steps (the
//! init's share of Θ decays like e^{−2·lr·λ·t}), so λ is scaled up by the same factor the steps are scaled down.
//!
//! Writes `lazy_vs_regularized.csv` (every checkpoint of every trial), `lazy_vs_regularized.svg` (three panels: mean
//! over trials ± one standard error vs step), `lazy_vs_regularized.json` (settings, final means, and the paper's
//! findings as checked statements, see [`super::findings`]).

use super::findings::paired_greater;
use plotters::prelude::*;
use rayon::prelude::*;
use regmatters::claims::Tier;
use regmatters::data::{Dataset, Teacher};
use regmatters::nets::activation::activation_change;
use regmatters::nets::lbfgs::gradient_descent;
use regmatters::nets::{Model, Objective, Reduction, TwoLayer, margin::margins};
use serde_json::json;
use std::fmt::Write as _;

/// The sizes of one run.
#[derive(Debug, Clone, serde::Serialize)]
struct Setting {
    d: usize,
    teacher_units: usize,
    rejection_margin: f64,
    n: usize,
    n_test: usize,
    width: usize,
    init_std: f64,
    lr: f64,
    steps: usize,
    lambda: f64,
    trials: usize,
    checkpoints: Vec<usize>,
}

impl Setting {
    fn for_tier(tier: Tier) -> Setting {
        let steps = tier.pick(2000, 20000);
        // 0 and then a geometric grid of steps (the early phase moves fastest)
        let k = tier.pick(16, 24);
        let mut checkpoints: Vec<usize> = vec![0];
        for s in 0..k {
            // 10 … steps, geometric
            let e = 1.0 + s as f64 / (k - 1) as f64 * ((steps as f64).log10() - 1.0);
            let t = 10f64.powf(e).round() as usize;
            if t > *checkpoints.last().unwrap_or(&0) {
                checkpoints.push(t.min(steps));
            }
        }
        if *checkpoints.last().unwrap_or(&0) != steps {
            checkpoints.push(steps);
        }
        Setting {
            d: 20,
            teacher_units: 10,
            rejection_margin: 0.01,
            n: tier.pick(100, 200),
            n_test: tier.pick(1000, 5000),
            width: tier.pick(50, 100),
            init_std: 1.0,
            lr: 0.1,
            steps,
            lambda: tier.pick(5e-3, 5e-4),
            trials: tier.pick(6, 20),
            checkpoints,
        }
    }
}

/// One checkpoint of one run.
#[derive(Debug, Clone, Copy)]
struct Point {
    step: usize,
    loss: f64,
    norm: f64,
    margin: f64,
    train_error: f64,
    test_error: f64,
    change_train: f64,
    change_test: f64,
}

fn error_rate(net: &TwoLayer, data: &Dataset) -> anyhow::Result<f64> {
    Ok(margins(net, data)?.iter().filter(|v| **v <= 0.0).count() as f64 / data.n() as f64)
}

fn measure(
    init: &TwoLayer,
    net: &TwoLayer,
    train: &Dataset,
    test: &Dataset,
    step: usize,
    loss: f64,
) -> anyhow::Result<Point> {
    let norm = net.param_norm();
    Ok(Point {
        step,
        loss,
        norm,
        margin: margins(net, train)?.min() / (norm * norm).max(f64::MIN_POSITIVE),
        train_error: error_rate(net, train)?,
        test_error: error_rate(net, test)?,
        change_train: activation_change(init, net, &train.x)?,
        change_test: activation_change(init, net, &test.x)?,
    })
}

/// Full-batch GD on `obj` from `init`, measured at every checkpoint.
fn run_gd(init: &TwoLayer, obj: Objective, s: &Setting, train: &Dataset, test: &Dataset) -> anyhow::Result<Vec<Point>> {
    let mut net = init.clone();
    let mut done = 0;
    let mut out = Vec::with_capacity(s.checkpoints.len());
    for &c in &s.checkpoints {
        let mut loss = obj.value(&net, train)?;
        if c > done {
            let base = net.clone();
            let eval = |p: &nalgebra::DVector<f64>| {
                let mut m = base.clone();
                m.set_params(p.as_slice())?;
                obj.value_grad(&m, train)
            };
            let min = gradient_descent(eval, net.params(), s.lr, c - done, 0.0)?;
            net.set_params(min.x.as_slice())?;
            loss = min.value;
            done = c;
        }
        out.push(measure(init, &net, train, test, c, loss)?);
    }
    Ok(out)
}

/// One trial: (λ = 0 curve, λ > 0 curve).
fn trial(s: &Setting, seed: u64, t: usize) -> anyhow::Result<(Vec<Point>, Vec<Point>)> {
    let mut rng = regmatters::seed::stream(seed, &["repro", "lazy-vs-regularized"], t as u64);
    let teacher = Teacher::random(s.d, s.teacher_units, &mut rng)?;
    let train = teacher.classification(s.n, s.rejection_margin, &mut rng)?;
    let test = teacher.classification(s.n_test, s.rejection_margin, &mut rng)?;
    let init = TwoLayer::gaussian(s.width, s.d, s.init_std, &mut rng)?;
    let lazy = run_gd(&init, Objective::unregularized(Reduction::Mean), s, &train, &test)?;
    let reg = run_gd(&init, Objective::new(s.lambda, 2.0, Reduction::Mean)?, s, &train, &test)?;
    Ok((lazy, reg))
}

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(args: &super::Args) -> anyhow::Result<i32> {
    let s = Setting::for_tier(args.tier);
    eprintln!(
        "lazy-vs-regularized ({}): {} trials, n = {}, width {}, {} GD steps, λ ∈ {{0, {:e}}}",
        args.tier.as_str(),
        s.trials,
        s.n,
        s.width,
        s.steps,
        s.lambda
    );
    let start = std::time::Instant::now();
    let runs: Vec<(Vec<Point>, Vec<Point>)> =
        (0..s.trials).into_par_iter().map(|t| trial(&s, args.seed, t)).collect::<anyhow::Result<_>>()?;
    let seconds = start.elapsed().as_secs_f64();

    let mut csv = String::from(
        "trial,lambda,step,loss,param_norm,normalized_margin,train_error,test_error,activation_change_train,activation_change_test\n",
    );
    for (t, (lazy, reg)) in runs.iter().enumerate() {
        for (lambda, pts) in [(0.0, lazy), (s.lambda, reg)] {
            for p in pts {
                writeln!(
                    csv,
                    "{t},{lambda:e},{},{},{},{},{},{},{},{}",
                    p.step, p.loss, p.norm, p.margin, p.train_error, p.test_error, p.change_train, p.change_test
                )?;
            }
        }
    }
    std::fs::write(args.out.join("lazy_vs_regularized.csv"), &csv)?;

    // mean ± se curves per λ and quantity
    type Get = fn(&Point) -> f64;
    let quantities: [(&str, &str, Get); 3] = [
        ("normalized margin", "min_i y_i f(x_i)/‖Θ‖²", |p| p.margin),
        ("test error", "test error", |p| p.test_error),
        ("changed activation patterns (train inputs)", "fraction changed", |p| p.change_train),
    ];
    let curve = |which: usize, get: Get| -> Vec<(f64, f64, f64)> {
        (0..s.checkpoints.len())
            .map(|k| {
                let v: Vec<f64> = runs.iter().map(|r| get(if which == 0 { &r.0[k] } else { &r.1[k] })).collect();
                let (m, se) = super::findings::mean_se(&v);
                (s.checkpoints[k] as f64, m, se)
            })
            .collect()
    };
    {
        let file = args.out.join("lazy_vs_regularized.svg");
        let root = SVGBackend::new(&file, (1350, 440)).into_drawing_area();
        root.fill(&WHITE)?;
        let panels = root.split_evenly((1, 3));
        for (panel, (title, ylabel, get)) in panels.iter().zip(quantities.iter()) {
            let c0 = curve(0, *get);
            let c1 = curve(1, *get);
            let all = c0.iter().chain(&c1).flat_map(|(_, m, se)| [m - se, m + se]);
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
            let pad = 0.08 * (hi - lo).max(1e-9);
            let (lo, hi) = (if lo >= 0.0 { 0.0f64.max(lo - pad) } else { lo - pad }, hi + pad);
            let mut chart = ChartBuilder::on(panel)
                .caption(*title, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(60)
                .build_cartesian_2d((1.0..s.steps as f64 * 1.2).log_scale(), lo..hi)?;
            chart.configure_mesh().x_desc("GD step (step 0 drawn at 1)").y_desc(*ylabel).draw()?;
            for (c, color, label) in [(&c0, BLUE, "λ = 0".to_string()), (&c1, RED, format!("λ = {:e}", s.lambda))] {
                let at = |x: f64| x.max(1.0);
                chart
                    .draw_series(c.iter().map(|(x, m, se)| {
                        PathElement::new(vec![(at(*x), m - se), (at(*x), m + se)], color.mix(0.5))
                    }))?;
                chart
                    .draw_series(LineSeries::new(c.iter().map(|(x, m, _)| (at(*x), *m)), color))?
                    .label(label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            }
            super::plot::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
        root.present()?;
    }

    // final values, paired over trials
    let last = |which: usize, get: Get| -> Vec<f64> {
        runs.iter().map(|r| get(if which == 0 { r.0.last() } else { r.1.last() }.expect("checkpoints"))).collect()
    };
    let change0 = last(0, |p| p.change_train);
    let change1 = last(1, |p| p.change_train);
    let err0 = last(0, |p| p.test_error);
    let err1 = last(1, |p| p.test_error);
    let marg0 = last(0, |p| p.margin);
    let marg1 = last(1, |p| p.margin);
    let (v_change, f_change) = paired_greater(
        "the regularized net changes a larger fraction of activation patterns (train inputs) than λ = 0",
        "regularized",
        &change1,
        "unregularized",
        &change0,
        args.seed,
    );
    let (v_err, f_err) = paired_greater(
        "the regularized net has a lower test error than λ = 0",
        "unregularized",
        &err0,
        "regularized",
        &err1,
        args.seed,
    );
    let (v_marg, f_marg) = paired_greater(
        "the regularized net has a larger normalized margin than λ = 0",
        "regularized",
        &marg1,
        "unregularized",
        &marg0,
        args.seed,
    );
    let finals = |which: usize| {
        let get = |g: Get| super::findings::mean_se(&last(which, g)).0;
        json!({
            "normalized_margin": get(|p| p.margin),
            "test_error": get(|p| p.test_error),
            "train_error": get(|p| p.train_error),
            "activation_change_train": get(|p| p.change_train),
            "activation_change_test": get(|p| p.change_test),
            "param_norm": get(|p| p.norm),
        })
    };
    let init_norm = super::findings::mean_se(&runs.iter().map(|r| r.0[0].norm).collect::<Vec<_>>()).0;
    let report = json!({
        "figure": "lazy-vs-regularized",
        "tier": args.tier.as_str(),
        "seed": args.seed,
        "seconds": seconds,
        "setting": s,
        "setting_note": "RECON (CATALOG.md §4): the NeurIPS simulation's setting is reconstructed, not read; inputs \
            x ~ N(0, I_d), teacher directions uniform on the sphere with ±1 output weights, mean logistic loss, \
            penalty λ‖Θ‖₂², every weight of the net ~ N(0, init_std²). Activation change measured on the training inputs.",
        "init_param_norm": init_norm,
        "final": { "unregularized": finals(0), "regularized": finals(1) },
        "findings": [f_change, f_err, f_marg],
    });
    std::fs::write(args.out.join("lazy_vs_regularized.json"), serde_json::to_string_pretty(&report)?)?;
    let (a0, a1) = (super::findings::mean_se(&change0).0, super::findings::mean_se(&change1).0);
    let (e0, e1) = (super::findings::mean_se(&err0).0, super::findings::mean_se(&err1).0);
    let (m0, m1) = (super::findings::mean_se(&marg0).0, super::findings::mean_se(&marg1).0);
    println!(
        "lazy-vs-regularized: changed patterns {:.1}% (λ=0) vs {:.1}% (λ={:e}) [{v_change}]; test error {e0:.3} vs \
         {e1:.3} [{v_err}]; normalized margin {m0:.2e} vs {m1:.2e} [{v_marg}]; {} trials, {seconds:.1} s; wrote {}",
        100.0 * a0,
        100.0 * a1,
        s.lambda,
        s.trials,
        args.out.display()
    );
    Ok(0)
}
