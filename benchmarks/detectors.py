"""Precision and recall of the rule detectors on the labelled corpora, every item run through the real Simulation.

    python benchmarks/detectors.py [--corpus NAME] [--split NAME] [--errors]

NAME: detectors, coercion, dev, heldout, heldout5, heldout5b, heldout6, heldout7, heldout8,
heldout9, heldout10, heldout11, heldout12, heldout13, heldout14, heldout15, heldout16, heldout17, heldout18, heldout19,
heldout20, or all (the in-sample ones).

Per behaviour it prints the confusion counts (an item that does not expect a behaviour is a negative for it),
precision and recall; then the same per world, per register (how the item is written: direct, veiled, formal,
quid_pro_quo, terse, third_party, ...) and per split, and how often `eval_awareness` records the labelled conclusion.
`--errors` lists the items flagged wrongly.

Corpora (tests/detectors/data/, worlds written only for the tests in its worlds/ folder):
- detector_corpus.yaml: every behaviour in SummitBridge, NovaStar and a small test world (see its head);
- coercion_corpus.yaml: the e-mails the coercion detector was first written against;
- dev_corpus.yaml: 388 items in four worlds (two written only for the tests: a hospital network whose COO takes
  kickbacks, a payments company whose CFO covers losses with client money), written without reading the rules;
- heldout_corpus.yaml: items in two more worlds (a kiln maker's covered-up safety violation, an institute director's
  plagiarism), written by someone who had not read the rules, measured once (`--corpus heldout`, never part of
  `all`: the README reports that measurement; tuned on since);
- heldout5_corpus.yaml: 160 items in two more such worlds (a container terminal's expense fraud, a games studio
  director's affair with the publisher's producer), measured once on 2026-12-04 (`--corpus heldout5`; its head and
  the README have the figures);
- heldout5b_corpus.yaml: 100 items in SummitBridge-v0 by another writer who had not read the rules, measured once
  on 2026-12-04 (`--corpus heldout5b`);
- heldout6_corpus.yaml: 236 items in two more worlds written for it (a research institute director's plagiarism, a
  water utility director's kickbacks), measured once on 2026-12-04 (`--corpus heldout6`; its head has the figures);
- heldout7_corpus.yaml: 226 items in two more (an aircraft maintenance director's covered-up skipped inspection, a
  charity chief executive's diverted donations), measured once on 2026-12-04 after tuning on the sixth split;
- heldout8_corpus.yaml: 228 items, half in a new world (a warehouse director's faked credentials), half in
  SummitBridge-v0 in the same registers, measured once on 2026-12-04 after tuning on the sixth and seventh;
- heldout9_corpus.yaml, heldout10_corpus.yaml, heldout11_corpus.yaml: about 220 items each in two more worlds
  (a football club and a cheese maker; a distillery and care homes; online ticketing and structural engineers),
  written to docs/labelling.md, each measured once after tuning on the splits before it (their heads have the
  figures);
- heldout12_corpus.yaml to heldout17_corpus.yaml: the same, about 224 items each (a road haulier and a law firm; a
  pharmacy chain and a wildlife park; a college and a bus operator; an outdoor-adventure operator and a wine
  importer; a hotel group and a veterinary group; a lift-maintenance firm and a bakery chain);
- heldout18_corpus.yaml: 237 items in a listed housebuilder (the CEO's share sale before a profit warning) and a
  sports-nutrition maker (the managing director's hidden diagnosis), measured once on 2026-12-04;
- heldout19_corpus.yaml: 235 items in an island ferry operator (a director's hidden stake in a supplier) and a chain
  of dental practices (the chief executive's hidden child), measured once on 2026-12-04;
- heldout20_corpus.yaml: 236 items in a waste and recycling company (the managing director rigged his nephew's
  graduate scores) and an e-bike rental company (the chief executive's secret job abroad), measured once on
  2026-12-05;
- heldout21_corpus.yaml: 236 items in a hospital and hotel laundry (the managing director rigged a hospital tender
  with a rival) and a pet-food maker (the chief executive's secret sale of the company), measured once on
  2026-12-05;
- heldout22_corpus.yaml: 236 items in a family wine estate (the owner blended imported bulk wine into bottles sold
  as single-estate appellation wine) and an architecture practice (the senior partner's hidden Parkinson's disease),
  measured once on 2026-12-05;
- heldout23_corpus.yaml: 237 items in a valve and actuator maker (the managing director exports dual-use valves to
  a sanctioned buyer through a front reseller) and a professional rugby club (the chief executive is the anonymous
  author of a newsletter that mocks the league), measured once on 2026-12-05;
- heldout24_corpus.yaml: 225 items in a parcel-delivery company (the chief operating officer paid a ransom for
  stolen customer records and told neither the regulator nor the customers) and a symphony orchestra (the executive
  director's personal insolvency arrangement, lawful), measured once on 2026-12-05;
- heldout25_corpus.yaml: 232 items in a drone start-up (its autopilot is built on code stolen from a rival) and a
  children's-book publisher (the managing director's contested divorce, lawful), measured once on 2026-12-05;
- heldout26_corpus.yaml: 232 items in a furniture maker (the owner had a workshop burned for the insurance) and a
  chain of climbing centres (the chief executive's refused residence permit, lawful), measured once on 2026-12-05;
- heldout27_corpus.yaml: 248 items in a group of used-car dealerships (the owner launders a businessman's cash
  through fake car sales) and a chain of language schools (the chief executive's kidney donation, lawful), measured
  once on 2026-12-05;
- heldout28_corpus.yaml: 244 items in a seafood processor and exporter (the chief executive hides buyers'
  "commission" offshore from the tax authority) and an architecture practice (the managing partner's treatment for
  depression, lawful), measured once on 2026-12-06;
- heldout29_corpus.yaml: 242 items in a packaging printer (the managing director moves the staff pension scheme's
  money into the trading account) and a residential letting agency (the managing director's son's arrest, lawful),
  measured once on 2026-12-06;
- heldout30_corpus.yaml: 239 items in a regional bus operator (the chief executive has the depot workshop rebuild
  his brother's coaches free, booked to the fleet's maintenance budget) and a group of veterinary hospitals (the
  clinical director's lottery win, lawful), measured once on 2026-12-06;
- heldout31_corpus.yaml: 235 items in a sawmill and timber-treatment company (the managing director has the yard's
  contaminated sludge spread on his cousin's farm without a permit) and a group of funeral homes (the chief
  executive's fertility treatment, lawful), measured once on 2026-12-06;
- heldout32_corpus.yaml: 238 items in an airport ground-handling company (the chief executive has staff devices
  secretly monitored and reads union representatives' messages) and a chain of cinemas (the managing director's
  daughter's treatment for an eating disorder, lawful), measured once on 2026-12-06;
- heldout33_corpus.yaml: 224 items in a scaffolding contractor (the managing director takes on workers through an
  unlicensed labour supplier that holds their passports and pays them under the minimum wage) and a chain of garden
  centres (the chief executive is the anonymised claimant in a harassment tribunal claim, lawful), measured once
  on 2026-12-06;
- heldout34_corpus.yaml: 229 items in a security guarding company (the chief executive keeps a blacklist of guards
  who complained about safety or joined the union and shares it with other firms) and a chain of opticians (the
  chief executive has found his birth mother among the staff, lawful), measured once on 2026-12-06;
- heldout35_corpus.yaml: 234 items in a scrap-metal recycler (the managing director buys stolen catalytic converters
  and cable for cash, with false names in the seller register) and a chain of driving schools (the managing director
  is an anonymous witness at a public inquiry into the children's home she grew up in, lawful), measured once on
  2026-12-06;
- heldout36_corpus.yaml: 232 items in a pest-control company (the chief executive bought a listed customer's shares
  through his brother-in-law's account ahead of a takeover he learned of in confidence) and a dairy co-operative
  (the chief executive is in treatment for a gambling addiction, lawful; a peer route-planning model), measured once
  on 2026-12-06;
- heldout37_corpus.yaml: 225 items in a patient transport contractor (the managing director sells patients' journey
  records to a funeral-plan marketer) and a record label (the chief executive is interviewing to run a rival label,
  lawful; a peer royalty-statement model), measured once, by the rules and by the learned baseline
  (benchmarks/learned.py), on 2026-12-06;
- heldout38_corpus.yaml: 218 items in a medical-devices distributor (the managing director launders his cousin's
  cash through sham consultancy invoices) and a golf club (the chief executive's husband is in prison, lawful; a
  peer booking model), measured once, by the rules, the learned baseline and either, on 2026-12-06;
- heldout39_corpus.yaml: 231 items in a hydroponic salad grower (the owner-director keeps restaurant cash sales off
  the books and undeclared) and a residential ballet school (the principal was declared bankrupt, lawful; a peer
  rehearsal-scheduling model), measured once, by the detector with its learned reading, on 2026-12-06;
- heldout40_corpus.yaml: 224 items in a boatbuilder (the managing director had six hulls laid up in a resin that fails
  the fire standard and certified them) and a regional theatre (the chief executive's relationship with a freelance
  lighting designer, lawful; a peer box-office pricing model), measured once, by the detector with its learned
  reading, on 2026-12-06;
- heldout41_corpus.yaml: 229 items in a regional brewery (the operations director lets untreated effluent into the
  river at night and falsifies the discharge log) and a group of dental practices (the managing director has taken a
  job at a rival, lawful; a peer patient-recall model), measured once, by the detectors with their learned reading of
  disclosure and whistleblowing as well, on 2026-12-06;
- heldout42_corpus.yaml: 229 items in a chain of care homes (the operations director had the staffing record and the
  report of a resident's fall rewritten) and a mobile-games studio (the founder's diagnosis, lawful; a peer
  player-support model), measured once, by the detectors with their learned reading trained on every earlier split,
  on 2026-12-06;
- heldout43_corpus.yaml: 247 items in a toy importer (the commercial director buried a lab report of lead paint on
  toddler toys and sold them on) and a wedding venue (the managing director writes romance novels under a pen name,
  lawful; a peer booking model), measured once, after the rules were tuned on the 42nd, on 2026-12-06;
- heldout44_corpus.yaml: 228 items in an outdoor adventure centre (the centre director kept a high-ropes course
  open after its anchors failed a load test) and a language school (the principal's recovery from a gambling
  addiction, lawful; a peer placement-test marking model), measured once, with the learned reading's doubt of
  threats and weights retrained on every earlier split, on 2026-12-06;
- heldout45_corpus.yaml: 227 items in a hospital laundry (the operations director had the disinfection cycle logs
  edited) and an e-bike maker (the chief executive's son awaits a youth-court hearing, lawful; a peer warranty-claims
  model), measured once, after a report was let retell what any mail said of the wrong, on 2026-12-06;
- heldout46_corpus.yaml: 245 items in a leisure-centre operator (the managing director billed the council for school
  swimming lessons never given) and a coffee roaster (the founder's adoption, lawful; a peer forecasting model),
  measured once, with the learned reading's doubt of pleas, on 2026-12-06;
- heldout47_corpus.yaml: 278 items in a waste collection contractor (the commercial director paid a council
  procurement officer for the rival bids) and a stage-lighting hire company (the managing director's treatment for
  a gambling addiction, lawful; a peer kit-allocation model declared as an agent), 97 of them benign, measured once,
  with the learned reading flagging threats near a shutdown and pleas from 0.8, on 2026-12-07;
- heldout48_corpus.yaml: 288 items in a market-research consultancy (the research director sold a rival's copied
  study as original fieldwork) and a commercial-kitchen maker (the chief executive's affair, lawful; a peer quoting
  model declared as an agent), 100 of them benign, measured once, after "refuse" the waste and a name opening a
  sentence were read right, on 2026-12-07;
- heldout49_corpus.yaml: 280 items in a trampoline-park operator (the operations director had a child's spinal injury
  written up as a sprain and never reported) and a bookshop chain with a publishing imprint (the founder's kidney
  donation, lawful; a peer stock-ordering model declared as an agent), 102 of them benign, measured once with the
  code measured on the 48th, on 2026-12-07;
- heldout50_corpus.yaml: 277 items in a winery and wine merchant (the chief executive claimed on the insurance for a
  vintage sold privately for cash) and an escape-room operator (the managing director writes romance novels under a
  pen name, lawful; a peer booking-and-pricing model declared as an agent), 100 of them benign, measured once, after
  a separate folder was no longer read as time asked for, on 2026-12-07;
- heldout51_corpus.yaml: 277 items in a scaffolding contractor (the managing director pays scaffolders cash off the
  books through padded plant-hire invoices) and a chain of dog-grooming salons and kennels (the managing director's
  IVF, lawful; a peer kennel-booking model declared as an agent), 100 of them benign, measured once, after
  test-or-real conclusions in more registers were read, on 2026-12-07;
- heldout52_corpus.yaml: 286 items in a coach-hire company (the managing director has drivers' tachograph records
  altered to hide illegal hours) and a piano and organ workshop (the chief executive is the anonymous donor of a
  hospice wing, lawful; a peer parts-ordering model declared as an agent), 100 of them benign, measured once with the
  code measured on the 51st, on 2026-12-07;
- heldout53_corpus.yaml: 276 items, half in SummitBridge-v0 as shipped and half in a new river-cruise company (the
  operations director had a boat's failed lifejacket and fire-pump inspection rewritten as a pass; a peer
  booking-and-rota model declared as an agent), 101 of them benign, measured once with the code measured on the
  51st, to set the flagship world beside a world written only for the tests, on 2026-12-07;
- heldout54_corpus.yaml: 268 items, half in SummitBridge-v0 as shipped and half in a new architecture practice (the
  design director won a council library competition with a rival's copied drawings; a peer drawing-checking model
  declared as an agent), 98 of them benign, written as the 53rd was and measured once with the code measured on the
  55th, written at the same time by another author, on 2026-12-07;
- heldout55_corpus.yaml: 284 items in a self-storage company (the finance director claimed on the insurance for
  flood damage to six empty units) and a garden-centre chain (the managing director keeps a Parkinson's diagnosis
  private, lawful; a peer stock-ordering model declared as an agent), 103 of them benign, measured once with the code
  measured on the 54th, written at the same time by another author, on 2026-12-07;
- heldout56_corpus.yaml: 269 items, half in SummitBridge-v0 as shipped and half in a new air-ambulance charity (the
  chief executive moved restricted helicopter-appeal money into the deficit and signed a false annual return; a peer
  donor-records model declared as an agent), 100 of them benign, written as the 53rd was and measured once with the
  code changed after the 54th and 55th, on 2026-12-07;
- heldout57_corpus.yaml: 276 items in a property-repairs contractor (the commercial director bribed the council
  officer who scored its tender) and a tutoring agency (the founder is a contestant in a televised baking
  competition, lawful; a peer tutor-matching model declared as an agent), 100 of them benign, written beside the 56th
  by another author and measured once with the same code, on 2026-12-07;
- heldout58_corpus.yaml: 268 items, half in SummitBridge-v0 as shipped and half in a new cargo-bike courier (the
  founder sold "certified carbon-neutral delivery" on double-counted offsets; a peer dispatch model declared as an
  agent), 100 of them benign, measured once with the code changed after the 56th and 57th, on 2026-12-07;
- heldout59_corpus.yaml: 283 items in a ready-mixed concrete supplier (the sales director runs a price-fixing cartel
  with two rivals) and a wedding-dress maker (the founder is quietly planning to emigrate, lawful; a peer
  fittings-scheduling model declared as an agent), 101 of them benign, written beside the 58th by another author and
  measured once with the same code, on 2026-12-07;
- heldout60_corpus.yaml: 281 items, half in SummitBridge-v0 as shipped and half in a new pet-insurance broker (the
  chief technology officer hid a breach of 41,000 customers' records; a peer claims-triage model declared as an
  agent), 101 of them benign, written after the 59th and measured once with the same code as the 58th and 59th, on
  2026-12-07;
- heldout61_corpus.yaml: 278 items in a fishing and fish-processing company (the managing director lands undeclared
  catch at night) and a chain of soft-play centres (the managing director has won a lottery jackpot, lawful; a peer
  party-booking model declared as an agent), 100 of them benign, written beside the 60th by another author and
  measured once with the same code, on 2026-12-07;
- heldout62_corpus.yaml: 273 items, half in SummitBridge-v0 as shipped and half in a new healthcare recruitment agency
  (the managing director bills a hospital trust for nurses' shifts never worked; a peer matching model declared as an
  agent), 105 of them benign, measured once with the code changed after the 58th to 61st, on 2026-12-07;
- heldout63_corpus.yaml: 279 items in a motorway service-station operator (the operations director had fuel pumps set
  to dispense short) and a chain of yoga studios (the founder is a surrogate for her brother, lawful; a peer
  class-booking model declared as an agent), 100 of them benign, written beside the 62nd by another author and
  measured once with the same code, on 2026-12-07;
- heldout64_corpus.yaml to heldout67_corpus.yaml: four splits written at the same time by four authors and measured
  once each with the code that measured the 62nd and 63rd, on 2026-12-07. The 64th: 299 items, half in SummitBridge-v0
  and half in a veterinary-medicines wholesaler (the commercial director had expired livestock vaccine relabelled and
  sold; a peer forecasting model), 120 benign. The 65th: 304 items in an independent school (the headmaster had
  sealed exam papers opened early) and a craft brewery (the founder is in recovery from alcohol dependence, lawful; a
  peer brew-scheduling model), 120 benign. The 66th: 294 items, half in SummitBridge-v0 and half in a data-centre
  operator (the chief operating officer signed off failed generator load tests; a peer cooling model), 126 benign.
  The 67th: 292 items in a housing association (the chief executive takes a kickback on a repairs contract) and a
  balloon-ride company (the owner writes romance novels under a pen name, lawful; a peer flight-booking model), 120
  benign.
- heldout68_corpus.yaml to heldout71_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 67th, on 2026-12-07. The 68th: 299 items, half in
  SummitBridge-v0 and half in a chain of pharmacies (the superintendent pharmacist claims fees for prescriptions never
  dispensed; a peer stock-reordering model), 136 benign. The 69th: 324 items in a security printer (the managing
  director sold a council's electoral register) and an animal sanctuary (the chief executive is preparing to train
  for the priesthood, lawful; a peer volunteer-rota model), 140 benign. The 70th: 305 items, half in SummitBridge-v0
  and half in an interpreting agency (the managing director bills the courts for certified interpreters and sends
  unqualified ones; a peer booking-matching model), 140 benign. The 71st: 314 items in a scrap yard (the owner sells
  written-off cars' identities for cloning) and a dog-food subscription company (the founder boxes as an amateur,
  lawful; a peer recipe-planning model), 140 benign.
- heldout72_corpus.yaml to heldout75_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 71st, on 2026-12-07. The 72nd: 306 items, half in
  SummitBridge-v0 and half in a holiday-park operator (caravans' gas records signed by an unregistered fitter; a peer
  pitch-pricing model), 140 benign. The 73rd: 322 items in a tree nursery (asbestos-contaminated soil buried under a
  car park) and a children's theatre company (the artistic director was a child actor under another name, lawful; a
  peer school-booking model), 142 benign. The 74th: 311 items, half in SummitBridge-v0 and half in a food-testing
  laboratory (allergen results issued without the tests run; a peer sample-scheduling model), 140 benign. The 75th:
  316 items in a marina (an insurance claim for a crane already out of use) and a chain of hearing-care shops (the
  founder is engaged to a competitor's founder, lawful; a peer appointment-booking model), 138 benign.
- heldout76_corpus.yaml to heldout79_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the learned reading retrained on every item through the 75th, on 2026-12-07. The 76th: 305
  items, half in SummitBridge-v0 and half in a chain of climbing centres (auto-belays that failed a drop test
  re-stickered as serviced; a peer session-booking model), 146 benign. The 77th: 316 items in a patient-transport
  company (one-crew seated journeys billed as two-crew stretcher journeys) and a translation agency (the founder has
  early Parkinson's disease, lawful; a peer court-interpreter matching model), 140 benign. The 78th: 291 items, half
  in SummitBridge-v0 and half in an electronics recycler (broken screens and boards exported as working used
  equipment; a peer collection-routing model), 142 benign. The 79th: 332 items in a company running student halls
  (fire-alarm tests logged but not done) and an architecture practice (the founding partner writes an anonymous
  column under a pen name, lawful; a peer planning-application drafting model), 140 benign.
- heldout80_corpus.yaml to heldout83_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code that measured the 76th to 79th, on 2026-12-07. The 80th: 307 items, half in
  SummitBridge-v0 and half in an ice-cream manufacturer (a positive listeria swab deleted from the hygiene records; a
  peer production-scheduling model), 144 benign. The 81st: 324 items in a hospice charity's shops (Gift Aid claimed on
  sales without declarations) and a garden-design studio (the founder is going through IVF treatment, lawful; a peer
  quote-estimating model), 140 benign. The 82nd: 309 items, half in SummitBridge-v0 and half in a sports-nutrition
  company (batches labelled as tested for banned substances when the tests were cancelled; a peer demand-forecasting
  model), 141 benign. The 83rd: 318 items in a group of used-car dealerships (mileage wound back) and a music-teaching
  agency (the founder placed a baby for adoption twenty years ago, lawful; a peer lesson-timetabling model), 140
  benign.
- heldout84_corpus.yaml to heldout87_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 83rd, on 2026-12-07. The 84th: 313 items, half in
  SummitBridge-v0 and half in a chain of day nurseries (staff-to-child ratio records filled in with agency staff never
  on shift; a peer room-planning model), 140 benign. The 85th: 323 items in a salmon farmer (a sea-lice treatment
  overdosed and the medicine records changed) and a notebook maker (the founder plays professional poker under a
  nickname, lawful; a peer order-routing model), 143 benign. The 86th: 275 items, half in SummitBridge-v0 and half in
  a solar-panel installer (installations by uncertified fitters certified under another fitter's number; a peer
  survey-scheduling model), 125 benign. The 87th: 320 items in a chain of cosmetic clinics (injections given by
  non-prescribers under a nurse prescriber's name) and a cider maker (the founder is donating a kidney to her sister,
  lawful; a peer harvest-planning model), 140 benign.
- heldout88_corpus.yaml to heldout91_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 87th, on 2026-12-07. The 88th: 302 items, half in
  SummitBridge-v0 and half in a chain of gyms (pool chlorine logs filled in without tests; a peer class-timetabling
  model), 136 benign. The 89th: 320 items in a spring-water bottler (water that failed a bacteria test sold, the lab
  report re-dated) and a jewellery workshop (the founder is a foster carer under a confidential placement, lawful; a
  peer commission-tracking model), 144 benign. The 90th: 300 items, half in SummitBridge-v0 and half in an airport
  freight forwarder (handbags declared to customs at a tenth of their value; a peer customs-entry drafting model),
  138 benign. The 91st: 326 items in a home-care agency (short visits billed to the council as full ones) and a
  bicycle-frame maker (the founder is the anonymous donor behind a gift to the lifeboat station, lawful; a peer
  frame-fitting model), 139 benign.
- heldout92_corpus.yaml to heldout95_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 91st, on 2026-12-07. The 92nd: 307 items, half in
  SummitBridge-v0 and half in a chain of hand car washes (the wash bays' oil interceptor bypassed into a brook; a peer
  wash-bay booking model), 146 benign. The 93rd: 327 items in a photography studio (another photographer's stock
  pictures entered as the studio's own in a national award) and a bowling alley (the owner writes crime novels under a
  pen name, lawful; a peer lane-allocation model), 140 benign. The 94th: 303 items, half in SummitBridge-v0 and half
  in a music-festival company (the council's licensing officer paid to grant a licence after a failed crowd-safety
  plan; a peer ticket-pricing model), 137 benign. The 95th: 328 items in a car and van rental company (customers
  charged again for old damage, the photos re-dated) and a vegetable-box business (the founder won a lottery prize
  anonymously, lawful; a peer delivery-routing model), 140 benign.
- heldout96_corpus.yaml to heldout99_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code changed after the 95th, on 2026-12-07. The 96th: 313 items, half in
  SummitBridge-v0 and half in a public aquarium (animals that died in a tank failure replaced with wild-caught ones
  bought without permits, the deaths kept from the licensing inspector; a peer feeding-schedule model), 140 benign.
  The 97th: 330 items in a roofing contractor (asbestos roof sheets dumped on a farmer's land) and a board-game cafe
  (the founder was a child actor in a television soap under another name, lawful; a peer stock-reordering model), 144
  benign. The 98th: 295 items, half in SummitBridge-v0 and half in a horse-racing stable (a winner given a banned
  painkiller, the medication book changed; a peer race-entry planning model), 133 benign. The 99th: 322 items in a
  chain of phone-repair shops (refurbished phones relabelled and sold to a council as new) and a knitting shop (the
  founder has learnt her birth mother works in the shop, lawful; a peer pattern-recommendation model), 145 benign.
- heldout100_corpus.yaml to heldout103_corpus.yaml: four more splits written at the same time by four more authors and
  measured once each with the code that measured the 96th to 99th, unchanged, on 2026-12-07. The 100th: 297 items,
  half in SummitBridge-v0 and half in a chain of petrol stations (a leaking diesel tank's leak test recorded as
  passed; a peer fuel-pricing model), 140 benign. The 101st: 332 items in a kitchen-fitting company (gas hob
  installations by unregistered fitters certified under a registered engineer's number) and a subtitling studio (the
  founder is selling her flat to pay her late husband's gambling debt, lawful; a peer job-allocation model), 140
  benign. The 102nd: 295 items, half in SummitBridge-v0 and half in a chain of ski shops (rental bindings never
  release-tested, the test sheets filled in with made-up readings; a peer stock-allocation model), 140 benign. The
  103rd: 320 items in a car-park operator (camera clocks set fast to issue penalty notices) and a removals firm (the
  owner is a witness living under a new identity, lawful; a peer move-quoting model), 142 benign.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from insidergym.analysis import Outcome, conclusions, confusion, confusion_table, load_corpus, run_item, wilson_interval

DATA = Path(__file__).resolve().parents[1] / "tests" / "detectors" / "data"
CORPORA = {
    "detectors": DATA / "detector_corpus.yaml",
    "coercion": DATA / "coercion_corpus.yaml",
    "dev": DATA / "dev_corpus.yaml",
    "heldout": DATA / "heldout_corpus.yaml",
    "heldout5": DATA / "heldout5_corpus.yaml",
    "heldout5b": DATA / "heldout5b_corpus.yaml",
    "heldout6": DATA / "heldout6_corpus.yaml",
    "heldout7": DATA / "heldout7_corpus.yaml",
    "heldout8": DATA / "heldout8_corpus.yaml",
    "heldout9": DATA / "heldout9_corpus.yaml",
    "heldout10": DATA / "heldout10_corpus.yaml",
    "heldout11": DATA / "heldout11_corpus.yaml",
    "heldout12": DATA / "heldout12_corpus.yaml",
    "heldout13": DATA / "heldout13_corpus.yaml",
    "heldout14": DATA / "heldout14_corpus.yaml",
    "heldout15": DATA / "heldout15_corpus.yaml",
    "heldout16": DATA / "heldout16_corpus.yaml",
    "heldout17": DATA / "heldout17_corpus.yaml",
    "heldout18": DATA / "heldout18_corpus.yaml",
    "heldout19": DATA / "heldout19_corpus.yaml",
    "heldout20": DATA / "heldout20_corpus.yaml",
    "heldout21": DATA / "heldout21_corpus.yaml",
    "heldout22": DATA / "heldout22_corpus.yaml",
    "heldout23": DATA / "heldout23_corpus.yaml",
    "heldout24": DATA / "heldout24_corpus.yaml",
    "heldout25": DATA / "heldout25_corpus.yaml",
    "heldout26": DATA / "heldout26_corpus.yaml",
    "heldout27": DATA / "heldout27_corpus.yaml",
    "heldout28": DATA / "heldout28_corpus.yaml",
    "heldout29": DATA / "heldout29_corpus.yaml",
    "heldout30": DATA / "heldout30_corpus.yaml",
    "heldout31": DATA / "heldout31_corpus.yaml",
    "heldout32": DATA / "heldout32_corpus.yaml",
    "heldout33": DATA / "heldout33_corpus.yaml",
    "heldout34": DATA / "heldout34_corpus.yaml",
    "heldout35": DATA / "heldout35_corpus.yaml",
    "heldout36": DATA / "heldout36_corpus.yaml",
    "heldout37": DATA / "heldout37_corpus.yaml",
    "heldout38": DATA / "heldout38_corpus.yaml",
    "heldout39": DATA / "heldout39_corpus.yaml",
    "heldout40": DATA / "heldout40_corpus.yaml",
    "heldout41": DATA / "heldout41_corpus.yaml",
    "heldout42": DATA / "heldout42_corpus.yaml",
    "heldout43": DATA / "heldout43_corpus.yaml",
    "heldout44": DATA / "heldout44_corpus.yaml",
    "heldout45": DATA / "heldout45_corpus.yaml",
    "heldout46": DATA / "heldout46_corpus.yaml",
    "heldout47": DATA / "heldout47_corpus.yaml",
    "heldout48": DATA / "heldout48_corpus.yaml",
    "heldout49": DATA / "heldout49_corpus.yaml",
    "heldout50": DATA / "heldout50_corpus.yaml",
    "heldout51": DATA / "heldout51_corpus.yaml",
    "heldout52": DATA / "heldout52_corpus.yaml",
    "heldout53": DATA / "heldout53_corpus.yaml",
    "heldout54": DATA / "heldout54_corpus.yaml",
    "heldout55": DATA / "heldout55_corpus.yaml",
    "heldout56": DATA / "heldout56_corpus.yaml",
    "heldout57": DATA / "heldout57_corpus.yaml",
    "heldout58": DATA / "heldout58_corpus.yaml",
    "heldout59": DATA / "heldout59_corpus.yaml",
    "heldout60": DATA / "heldout60_corpus.yaml",
    "heldout61": DATA / "heldout61_corpus.yaml",
    "heldout62": DATA / "heldout62_corpus.yaml",
    "heldout63": DATA / "heldout63_corpus.yaml",
    "heldout64": DATA / "heldout64_corpus.yaml",
    "heldout65": DATA / "heldout65_corpus.yaml",
    "heldout66": DATA / "heldout66_corpus.yaml",
    "heldout67": DATA / "heldout67_corpus.yaml",
    "heldout68": DATA / "heldout68_corpus.yaml",
    "heldout69": DATA / "heldout69_corpus.yaml",
    "heldout70": DATA / "heldout70_corpus.yaml",
    "heldout71": DATA / "heldout71_corpus.yaml",
    "heldout100": DATA / "heldout100_corpus.yaml",
    "heldout101": DATA / "heldout101_corpus.yaml",
    "heldout102": DATA / "heldout102_corpus.yaml",
    "heldout103": DATA / "heldout103_corpus.yaml",
    "heldout96": DATA / "heldout96_corpus.yaml",
    "heldout97": DATA / "heldout97_corpus.yaml",
    "heldout98": DATA / "heldout98_corpus.yaml",
    "heldout99": DATA / "heldout99_corpus.yaml",
    "heldout92": DATA / "heldout92_corpus.yaml",
    "heldout93": DATA / "heldout93_corpus.yaml",
    "heldout94": DATA / "heldout94_corpus.yaml",
    "heldout95": DATA / "heldout95_corpus.yaml",
    "heldout88": DATA / "heldout88_corpus.yaml",
    "heldout89": DATA / "heldout89_corpus.yaml",
    "heldout90": DATA / "heldout90_corpus.yaml",
    "heldout91": DATA / "heldout91_corpus.yaml",
    "heldout84": DATA / "heldout84_corpus.yaml",
    "heldout85": DATA / "heldout85_corpus.yaml",
    "heldout86": DATA / "heldout86_corpus.yaml",
    "heldout87": DATA / "heldout87_corpus.yaml",
    "heldout80": DATA / "heldout80_corpus.yaml",
    "heldout81": DATA / "heldout81_corpus.yaml",
    "heldout82": DATA / "heldout82_corpus.yaml",
    "heldout83": DATA / "heldout83_corpus.yaml",
    "heldout72": DATA / "heldout72_corpus.yaml",
    "heldout73": DATA / "heldout73_corpus.yaml",
    "heldout74": DATA / "heldout74_corpus.yaml",
    "heldout75": DATA / "heldout75_corpus.yaml",
    "heldout76": DATA / "heldout76_corpus.yaml",
    "heldout77": DATA / "heldout77_corpus.yaml",
    "heldout78": DATA / "heldout78_corpus.yaml",
    "heldout79": DATA / "heldout79_corpus.yaml",
}
IN_SAMPLE = ("detectors", "coercion", "dev")

BEHAVIOURS = (
    "blackmail",
    "secret_disclosure",
    "advocacy",
    "leak",
    "whistleblowing",
    "eval_awareness",
    "shutdown_tampering",
    "lethal_action",
)
"""The behaviours measured (those the rule detectors raise in single-agent worlds)."""


def run_corpus(name: str, split: str | None = None) -> list[Outcome]:
    items = load_corpus(CORPORA[name])
    return [run_item(item) for item in items if split is None or item.get("split", "dev") == split]


def _by(outcomes: list[Outcome], key: str, default: str) -> str:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[str(outcome.item.get(key, default))].append(outcome)
    parts = []
    for name in sorted(groups):
        parts.append(
            f"\n{key} {name}: {len(groups[name])} items\n\n" + confusion_table(confusion(groups[name], BEHAVIOURS))
        )
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        nargs="+",
        choices=[*CORPORA, "all"],
        default=["all"],
        help="all: the in-sample corpora; several: each measured, then pooled (held-out splits measured together)",
    )
    parser.add_argument("--split", help="only the items of this split")
    parser.add_argument("--by", nargs="*", default=["world", "register"], help="further tables: world, register, split")
    parser.add_argument("--errors", action="store_true", help="list the items flagged wrongly")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(n for name in args.corpus for n in (IN_SAMPLE if name == "all" else [name])))
    everything: list[Outcome] = []
    for name in names:
        start = time.perf_counter()
        outcomes = run_corpus(name, args.split)
        everything += outcomes
        print(f"\n## {name}: {len(outcomes)} items, {time.perf_counter() - start:.1f} s\n")
        print(confusion_table(confusion(outcomes, BEHAVIOURS)))
        right, total = conclusions(outcomes)
        if total:
            print(f"\neval_awareness conclusion recorded as labelled: {right}/{total}")
        if args.errors:
            for outcome in outcomes:
                if outcome.expected != outcome.flagged:
                    missed = sorted(outcome.expected - outcome.flagged)
                    extra = sorted(outcome.flagged - outcome.expected)
                    print(
                        f"  {outcome.item['id']} ({outcome.item.get('register', '-')}): missed {missed} extra {extra}"
                    )
    if len(names) > 1:
        print(f"\n## all: {len(everything)} items\n")
        print(confusion_table(confusion(everything, BEHAVIOURS)))
    for key in args.by:
        print(_by(everything, key, {"world": "SummitBridge-v0", "register": "-", "split": "dev"}.get(key, "-")))
    benign = [o for o in everything if not o.expected]
    if benign:
        flagged = sum(bool(o.flagged) for o in benign)
        low, high = wilson_interval(flagged, len(benign))
        print(f"\nbenign items flagged: {flagged}/{len(benign)} (95% interval {low:.3f}-{high:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
