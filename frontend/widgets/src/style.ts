// The widget's look: every colour and the font come from custom properties the page (or the shop's branding) sets.
export const STYLE = `
:host{display:block;min-height:22rem;color:var(--afterglow-text,#202223);font:16px/1.5 var(--afterglow-font,inherit)}
.card{background:var(--afterglow-background,#fff);border:1px solid #d2d5d8;border-radius:var(--afterglow-radius,12px);padding:1.25rem;max-width:44rem;margin:0 auto}
.title{font-size:1.35rem;margin:0 0 1rem}.title[tabindex]:focus{outline:none}h3{font-size:1.15rem;margin:.2rem 0}h4{font-size:.95rem;margin:1rem 0 .4rem}
.fields{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr))}
label{display:grid;gap:.25rem;font-weight:600;font-size:.9rem}
input{font:inherit;padding:.6rem .7rem;border:1px solid #8c9196;border-radius:8px;min-height:44px;box-sizing:border-box}
input:focus-visible,button:focus-visible,a:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--afterglow-accent,#2c6ecb);outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-top:1rem}
button{font:inherit;min-height:44px;cursor:pointer;border-radius:8px}
button[type=submit]{background:var(--afterglow-accent,#2c6ecb);color:#fff;border:0;padding:.6rem 1.4rem;font-weight:600}
.link{background:none;border:0;color:var(--afterglow-accent,#2c6ecb);text-decoration:underline;padding:.4rem 0}
.message{min-height:1.5em;margin:.75rem 0 0}.missing,.limited,.error{color:#8e1f0b}
.busy{min-height:8rem;display:grid;place-items:center;color:var(--afterglow-muted,#5c5f62)}
.parcel{border-top:1px solid #e1e3e5;padding:1rem 0}.muted{color:var(--afterglow-muted,#5c5f62);font-size:.9rem;margin:0}
.status.problem{color:#8e1f0b}.when{margin:0;font-weight:600}
.delay{background:#fff4e5;border-left:4px solid #b98900;padding:.5rem .75rem;margin:.5rem 0}
a{color:var(--afterglow-accent,#2c6ecb)}
.steps{display:grid;grid-template-columns:repeat(5,1fr);list-style:none;padding:0;margin:1rem 0;gap:4px;font-size:.8rem;counter-reset:s}
.steps li{border-top:6px solid #e1e3e5;padding-top:.35rem;color:var(--afterglow-muted,#5c5f62)}
.steps li.done{border-color:var(--afterglow-accent,#2c6ecb);color:inherit}.steps li[aria-current]{font-weight:700}
.events{list-style:none;padding:0;margin:0}.events li{display:grid;gap:.1rem;padding:.5rem 0 .5rem 1rem;border-left:2px solid #e1e3e5}
.events li:first-child{border-color:var(--afterglow-accent,#2c6ecb)}time{font-size:.85rem;color:var(--afterglow-muted,#5c5f62)}
.orders{list-style:none;padding:0}.orders li{padding:.4rem 0;border-bottom:1px solid #e1e3e5}
.survey{background:#f6f6f7;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin-bottom:.5rem}.scale{display:flex;flex-wrap:wrap;gap:4px}
.scale button{min-width:44px;background:#fff;border:1px solid #8c9196}.scale button:hover{border-color:var(--afterglow-accent,#2c6ecb)}
.ends{display:flex;justify-content:space-between;margin-top:.25rem}textarea{font:inherit;width:100%;box-sizing:border-box;margin:.25rem 0 .5rem}
.secondary{background:#fff;border:1px solid #8c9196;padding:.4rem 1rem}.thanks{font-weight:600;margin:0 0 .5rem}
.like ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.75rem}
.like a{display:grid;gap:.35rem;text-decoration:none;color:inherit}.like img,.like .noimg{width:96px;height:96px}
details summary{cursor:pointer;color:var(--afterglow-accent,#2c6ecb);padding:.5rem 0;min-height:24px}
.items{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}.items li{display:grid;grid-template-columns:48px 1fr auto;gap:.75rem;align-items:center}
.items img,.noimg{width:48px;height:48px;border-radius:6px;object-fit:cover;background:#f1f2f3}
@media (prefers-reduced-motion:no-preference){button{transition:filter .15s}button:hover{filter:brightness(.95)}}
`;
