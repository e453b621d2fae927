-- extension/bin/replay/names.sql: the names and places of the synthetic
-- region, as weighted bags (replay.add_bag: most frequent first, weighted
-- by rank, or 'item:weight').  Run after engine.sql.
--
-- Names are written as the registry writes them, with their accents and
-- apostrophes (D'Angelo, Dall'Olio, Lucà, Nicolò); foreign names in the
-- Latin spelling an Italian registry office records, within the Ministry's
-- transliteration table (Çela, Xhafë, Wójcik, but Stefan for Ștefan and
-- Pawel for Paweł: letters outside the table are an error of the encoder).
--
-- Given-name bags: gn:<group>:<sex>[:<cohort>], cohorts for Italian names
-- by birth year (old < 1960 <= mid < 1990 <= young).  Surname bags:
-- sn:<group>.  Groups: it_er (Emilian and Romagnol families), it_south
-- (families from the South), ab (Italians born abroad), and the foreign
-- communities of the region.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, ticket;
\o /dev/null

-- Surnames of Emilia-Romagna, most frequent first (the common national
-- ones among them, the local ones of every province after).
SELECT replay.add_bag('sn:it_er', $$
Rossi, Ferrari, Bianchi, Russo, Ricci, Romano, Marchi, Montanari, Gallo, Conti, Fabbri, Costa, Bassi, Mazzoni,
Barbieri, Neri, Casadei, Zanetti, Lombardi, Martini, Rinaldi, Gardini, Venturi, Magnani, Guidi, Bertoni, Fontana,
Colombo, Greco, Bruno, Marino, Moretti, Galli, Mariani, Vitali, Benassi, Bellini, Gentili, Melloni, Morandi,
Malaguti, Gualandi, Bonfiglioli, Zanotti, Zucchini, Guidetti, Malagoli, Manicardi, Bulgarelli, Vecchi, Bonacini,
Ferrarini, Ghidoni, Pattacini, Prandi, Zironi, Zanichelli, Bertolini, Casadio, Zoffoli, Pirazzoli, Righi, Tugnoli,
Bolognesi, Lambertini, Fantini, Fiorentini, Tassinari, Pagani, Baldini, Gori, Ghini, Landi, Cavazza, Setti, Grandi,
Lodi, Campani, Ravaglia, Lugli, Tosi, Vignoli, Zanni, Mazzotti, Bergonzoni, Stagni, Franchini, Poggi, Baraldi,
Cuoghi, Sola, Boschi, Masetti, Cevolani, Scagliarini, Gamberini, Mingozzi, Ballotta, Pedrini, Pedrazzi, Reggiani,
Spallanzani, Corradini, Gozzi, Ferretti, Morselli, Carretti, Pellacani, Barbolini, Pinelli, Bellei, Medici, Pignatti,
Tagliavini, Montecchi, Ruozi, Davoli, Incerti, Bigi, Grassi, Grasselli, Aguzzoli, Tirelli, Rinaldini, Fontanesi,
Marastoni, Iotti, Bertani, Salsi, Caffagni, Borghi, Rabitti, Fornaciari, Rocchi, Bondi, Casoni, Ghelfi, Capelli,
Cavalli, Pasini, Negri, Bonini, Rebecchi, Zermani, Bersani, Calza, Fagnoni, Marchesi, Groppi, Molinari, Cerri,
Pelosi, Bocchi, Pedretti, Bernardi, Guareschi, Ollari, Bonora, Bottoni, Finotti, Mantovani, Soriani, Guidoboni,
Zappaterra, Tralli, Droghetti, Chiarini, Buzzoni, Bazzocchi, Zavoli, Amadori, Rossini, Benini, Baldacci, Ravaioli,
Tonini, Zanzani, Pagliarani, Semprini, Giorgetti, Dal Pozzo, Dalmonte, Poggiali, Bacchilega, Gaddoni, Cenni,
Dall'Olio, Dall'Aglio, Dall'Asta, Dall'Ara, Dall'Orso, Dalla Casa, Dal Monte, Dalla Rosa, Dalla Valle, Degli Esposti,
Dell'Aquila, D'Angelo, D'Amico, Dell'Acqua, Sant'Ambrogio, Cantù, De Luca, De Santis, De Angelis, Di Stefano,
Della Valle, Mancini, Giordano, Leone, Longo, Gentile, Martinelli, Vitale, Serra, Caruso, Ferri, Villa, Palmieri,
Sala, Orlando, Parisi, Monti, Cattaneo, Fiore, Farina, Grasso, Valentini, Pellegrini, Sartori, Bianco, Testa,
Silvestri, Marini, Grimaldi, Amato, Guerra, Pace, Riva, Rota, Zambelli, Zaccherini, Minarelli, Nanni, Ragazzini,
Ghetti, Savini, Bagnoli, Golinelli, Mattioli, Govoni, Accorsi, Artioli, Bellettini, Roncaglia, Sarti, Zagni$$, 0.55);

-- Families who came from the South in the 1950s-1980s.
SELECT replay.add_bag('sn:it_south', $$
Esposito, Russo, Romano, Greco, Bruno, Rizzo, Caruso, Messina, Amato, Cirillo, Grasso, Lombardo, Marino, De Luca,
Coppola, Ferrara, Palumbo, Sorrentino, Gallo, Santoro, Mazza, Iannone, Marra, Lucà, Zappalà, Patanè, Spanò,
Vadalà, Fotià, Praticò, Condò, Sgrò, Cutrì, Gullì, Calì, Melì, Alì, Casà, Saccà, Falcomatà, Mazzà, Iannò, Pirrò,
Nicolò, Musolino, Morabito, Scopelliti, Romeo, Pappalardo, Nicotra, Trovato, Musumeci, Cannizzaro, Sciacca,
Tomasello, Scandurra, Vinciguerra, D'Agostino, D'Alessandro, D'Errico, D'Onofrio, D'Amato, D'Anna, D'Angelo,
D'Amico, Di Maio, Di Lorenzo, Di Bella, Di Mauro, Lo Presti, Lo Bianco, Lo Russo, La Rosa, La Torre, Li Causi,
Mastroianni, Pugliese, Calabrese, Siciliano, Napolitano, Barone, Caputo, Marotta, Vitiello, Perrone, Carbone,
Ruggiero, Longobardi, Polimeni, Modafferi, Tripodi, Surace, Crucitti, Cuzzocrea, Pizzimenti, Capasso, Ferraro,
Giuliano, Scognamiglio, Cozzolino, Iovine, Mele, Pagano, Pepe, Rinaldi, Salerno, Serio, Tedesco, Valente$$, 0.45);

-- Italian given names by sex and cohort, most frequent first.
SELECT replay.add_bag('gn:it:M:old', $$
Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro, Salvatore, Carlo, Franco, Domenico,
Bruno, Paolo, Sergio, Giorgio, Renato, Enzo, Gino, Aldo, Alberto, Umberto, Ivano, Ivo, Romano, Dino, Gianni, Italo,
Vittorio, Ermes, Walter, Lino, Arrigo, Primo, Tonino, Gian Carlo, Pier Luigi, Giancarlo, Gianfranco, Raffaele,
Nicola, Michele, Rocco, Nicolò, Mosè, Giosuè, Santo, Egidio, Gaetano, Carmelo, Rosario, Gennaro, Ciro, Nerino,
Athos, Libero, Otello, Oddone$$, 0.55);
SELECT replay.add_bag('gn:it:M:mid', $$
Marco, Andrea, Luca, Stefano, Massimo, Roberto, Alessandro, Paolo, Davide, Simone, Fabio, Daniele, Claudio,
Maurizio, Matteo, Federico, Emanuele, Mauro, Mirco, Cristian, Gianluca, Gian Luca, Pier Paolo, Riccardo, Enrico,
Fabrizio, Nicola, Alberto, Giacomo, Filippo, Michele, Lorenzo, Diego, Ivan, Denis, Mattia, Nicolò, Christian,
Samuele, Alessio, Mario, Giuseppe, Antonio, Francesco, Gian Marco$$, 0.55);
SELECT replay.add_bag('gn:it:M:young', $$
Francesco, Alessandro, Lorenzo, Mattia, Andrea, Leonardo, Gabriele, Riccardo, Tommaso, Edoardo, Matteo, Giuseppe,
Federico, Niccolò, Nicolò, Pietro, Filippo, Samuele, Giovanni, Christian, Diego, Luca, Marco, Simone, Davide,
Manuel, Elia, Noè, Gioele, Giacomo, Emanuele, Jacopo, Alessio, Michele, Daniele, Cristian, Kevin, Thomas, Nicola,
Mario$$, 0.55);
SELECT replay.add_bag('gn:it:F:old', $$
Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, Caterina, Francesca, Anna Maria,
Maria Teresa, Franca, Rita, Gina, Bruna, Luciana, Lidia, Vanda, Iolanda, Ines, Elda, Norma, Ivana, Liliana, Marisa,
Nives, Gabriella, Silvana, Loredana, Adriana, Carla, Graziella, Mirella, Paola, Renata, Loretta, Licia, Ada,
Concetta, Immacolata, Assunta, Maria Grazia, Laura, Marta, Elisa, Mara$$, 0.55);
SELECT replay.add_bag('gn:it:F:mid', $$
Francesca, Chiara, Sara, Laura, Valentina, Elena, Silvia, Federica, Barbara, Paola, Elisa, Monica, Alessandra,
Cristina, Roberta, Simona, Daniela, Manuela, Michela, Claudia, Erika, Lara, Marta, Giulia, Anna, Stefania, Sabrina,
Katia, Debora, Elisabetta, Ilaria, Martina, Arianna, Serena, Veronica, Cinzia, Maria Grazia, Emanuela, Mara,
Marina, Maria$$, 0.55);
SELECT replay.add_bag('gn:it:F:young', $$
Sofia, Giulia, Aurora, Alice, Ginevra, Emma, Giorgia, Greta, Beatrice, Anna, Chiara, Martina, Sara, Matilde, Gaia,
Noemi, Francesca, Nicole, Ludovica, Arianna, Vittoria, Elisa, Camilla, Rebecca, Asia, Viola, Elena, Alessia, Irene,
Benedetta, Marta, Bianca, Zoe, Desirée, Maya, Eleonora, Carlotta, Ilaria, Angelica, Laura, Maria$$, 0.55);

-- Twins are sometimes given names that share their letters in the fiscal
-- code (Mario and Mauro are both MRA): the second one born gets an
-- omocode from the Agenzia delle Entrate.
CREATE TABLE replay.twin_name (sex text, given_name text, partner text, PRIMARY KEY (sex, given_name));
INSERT INTO replay.twin_name VALUES
    ('M', 'Mario', 'Mauro'), ('M', 'Marco', 'Mirco'), ('M', 'Matteo', 'Mattia'), ('M', 'Mattia', 'Matteo'),
    ('M', 'Nicola', 'Nicolò'), ('M', 'Davide', 'David'), ('M', 'Mirco', 'Marco'), ('M', 'Mauro', 'Mario'),
    ('F', 'Laura', 'Lara'), ('F', 'Lara', 'Laura'), ('F', 'Elisa', 'Elsa'), ('F', 'Marta', 'Marita'),
    ('F', 'Maria', 'Mara'), ('F', 'Mara', 'Maria');

-- The foreign communities of the region (surnames, then given names by sex).
SELECT replay.add_bag('sn:ro', 'Popescu, Ionescu, Popa, Pop, Dumitru, Stan, Stoica, Gheorghe, Rusu, Munteanu, Lungu, Constantin, Marin, Tudor, Ciobanu, Matei, Florea, Radu, Dinu, Sandu', 0.5);
SELECT replay.add_bag('gn:ro:M', 'Andrei, Mihai, Alexandru, Ionut, Vasile, Ion, Gheorghe, Florin, Marius, Adrian, Cristian, Stefan, Bogdan, Dumitru', 0.5);
SELECT replay.add_bag('gn:ro:F', 'Maria, Elena, Ioana, Andreea, Mihaela, Cristina, Ana, Gabriela, Florentina, Daniela, Alina, Georgiana, Larisa, Roxana', 0.5);
SELECT replay.add_bag('sn:ma', 'El Amrani, Benali, El Idrissi, Bouzid, Lahlou, Haddad, El Mansouri, Ouali, Tahiri, Bennani, Alaoui, Berrada, Ait Ali, El Khatib, Chaoui, Ziani, Amrani, Essaidi, Boukhris, Hamdaoui', 0.5);
SELECT replay.add_bag('gn:ma:M', 'Mohamed, Youssef, Ahmed, Rachid, Said, Hassan, Karim, Mustapha, Abdelaziz, Hamza, Omar, Adil, Khalid, Ayoub', 0.5);
SELECT replay.add_bag('gn:ma:F', 'Fatima, Khadija, Nadia, Amina, Hanane, Latifa, Malika, Samira, Naima, Salma, Zineb, Imane, Meryem, Houda', 0.5);
SELECT replay.add_bag('sn:al', 'Hoxha, Shehu, Kola, Leka, Gjoka, Dervishi, Basha, Çela, Marku, Prifti, Hysa, Duka, Koçi, Xhafa, Meta, Gjini, Lika, Brahimi, Rama, Xhafë', 0.5);
SELECT replay.add_bag('gn:al:M', 'Arben, Ermal, Klodian, Besnik, Erjon, Ervis, Gentian, Artan, Ilir, Fatmir, Dritan, Genti, Aldo, Elton', 0.5);
SELECT replay.add_bag('gn:al:F', 'Elira, Anila, Blerta, Jonida, Ermira, Valbona, Mimoza, Brikena, Arjola, Klea, Enkeleda, Rudina, Alketa, Flutura', 0.5);
SELECT replay.add_bag('sn:ua', 'Kovalenko, Shevchenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Boyko, Kovalchuk, Oliynyk, Moroz, Lysenko, Marchenko, Rudenko, Savchenko, Petrenko', 0.5);
SELECT replay.add_bag('gn:ua:M', 'Oleksandr, Andriy, Yuriy, Serhiy, Mykola, Vasyl, Ivan, Volodymyr, Dmytro, Taras', 0.5);
SELECT replay.add_bag('gn:ua:F', 'Olena, Natalia, Iryna, Tetiana, Svitlana, Oksana, Halyna, Lyudmyla, Nadiya, Olha, Mariya, Valentyna', 0.5);
SELECT replay.add_bag('sn:md', 'Ciobanu, Rotaru, Cebotari, Rusu, Lungu, Munteanu, Cojocaru, Botnaru, Ceban, Turcanu', 0.5);
SELECT replay.add_bag('gn:md:M', 'Ion, Vasile, Sergiu, Victor, Igor, Andrei, Dumitru', 0.5);
SELECT replay.add_bag('gn:md:F', 'Maria, Natalia, Tatiana, Elena, Svetlana, Ana, Olga', 0.5);
SELECT replay.add_bag('sn:cn', 'Hu, Chen, Wang, Zhou, Lin, Zhang, Huang, Li, Liu, Ye, Wu, Zheng, Xu, Jin, Pan, Zhu', 0.5);
SELECT replay.add_bag('gn:cn:M', 'Wei, Jun, Hao, Jian, Lei, Qiang, Bin, Yong, Jie, Peng, Xiaoming', 0.5);
SELECT replay.add_bag('gn:cn:F', 'Ying, Hui, Li Na, Jing, Mei, Yan, Xia, Fang, Lin, Xiaoli', 0.5);
SELECT replay.add_bag('sn:in', 'Singh, Kaur, Kumar, Sharma, Gill, Sandhu, Sidhu, Dhillon, Patel, Verma', 0.5);
SELECT replay.add_bag('gn:in:M', 'Gurpreet, Harpreet, Manpreet, Jaspreet, Amandeep, Rajesh, Sukhwinder, Rahul, Sunil, Paramjit', 0.5);
SELECT replay.add_bag('gn:in:F', 'Harpreet, Manpreet, Jaspreet, Amandeep, Simranjeet, Priya, Sunita, Rajwinder, Kulwinder, Navneet', 0.5);
SELECT replay.add_bag('sn:pk', 'Khan, Ahmed, Ali, Hussain, Iqbal, Rehman, Butt, Akhtar, Malik, Javed', 0.5);
SELECT replay.add_bag('gn:pk:M', 'Muhammad, Imran, Asif, Tariq, Bilal, Usman, Shahid, Zahid, Kamran, Naveed', 0.5);
SELECT replay.add_bag('gn:pk:F', 'Sana, Ayesha, Nasreen, Shazia, Rubina, Saima, Farzana, Amna, Kiran, Fatima', 0.5);
SELECT replay.add_bag('sn:bd', 'Hossain, Islam, Ahmed, Rahman, Uddin, Miah, Akter, Begum, Chowdhury, Sarker', 0.5);
SELECT replay.add_bag('gn:bd:M', 'Mohammad, Abdul, Rashed, Shahin, Jahangir, Kamal, Rafiq, Sohel', 0.5);
SELECT replay.add_bag('gn:bd:F', 'Nasrin, Shirin, Rokeya, Taslima, Farida, Shamima, Rehana, Salma', 0.5);
SELECT replay.add_bag('sn:tn', 'Ben Salah, Trabelsi, Jebali, Ben Ali, Gharbi, Hamdi, Mejri, Ayari, Ben Amor, Khelifi', 0.5);
SELECT replay.add_bag('gn:tn:M', 'Mohamed, Ali, Sami, Walid, Nabil, Mehdi, Anis, Hichem', 0.5);
SELECT replay.add_bag('gn:tn:F', 'Amel, Sonia, Leila, Sana, Ines, Rim, Olfa, Houda', 0.5);
SELECT replay.add_bag('sn:ph', 'Santos, Reyes, Cruz, Bautista, Garcia, Mendoza, Dela Cruz, Ramos, Aquino, Villanueva', 0.5);
SELECT replay.add_bag('gn:ph:M', 'Jose, Mark, John Paul, Ronaldo, Rodel, Jomar, Jerome, Arnel', 0.5);
SELECT replay.add_bag('gn:ph:F', 'Maria Cristina, Marites, Rowena, Jocelyn, Mary Grace, Analyn, Liza, Rosalie', 0.5);
SELECT replay.add_bag('sn:pl', 'Nowak, Kowalczyk, Wójcik, Mazur, Krawczyk, Kaczmarek, Pawlak, Michalak, Sikora, Baran', 0.5);
SELECT replay.add_bag('gn:pl:M', 'Piotr, Krzysztof, Tomasz, Marek, Pawel, Jan, Andrzej, Michal', 0.5);
SELECT replay.add_bag('gn:pl:F', 'Anna, Katarzyna, Agnieszka, Magdalena, Joanna, Ewa, Barbara, Monika', 0.5);
SELECT replay.add_bag('sn:gh', 'Mensah, Boateng, Osei, Owusu, Asante, Agyeman, Appiah, Addo, Ofori, Amoah', 0.5);
SELECT replay.add_bag('gn:gh:M', 'Kwame, Kofi, Yaw, Kwabena, Kwaku, Emmanuel, Samuel, Isaac', 0.5);
SELECT replay.add_bag('gn:gh:F', 'Adwoa, Abena, Akosua, Ama, Esther, Grace, Mercy, Comfort', 0.5);
SELECT replay.add_bag('sn:ng', 'Okafor, Okeke, Adeyemi, Eze, Nwosu, Ogunleye, Obi, Okonkwo, Ibrahim, Bello', 0.5);
SELECT replay.add_bag('gn:ng:M', 'Chinedu, Emeka, Oluwaseun, Ifeanyi, Tunde, Samuel, Daniel, Godwin', 0.5);
SELECT replay.add_bag('gn:ng:F', 'Chioma, Ngozi, Blessing, Joy, Precious, Favour, Gift, Esther', 0.5);
SELECT replay.add_bag('sn:sn', 'Ndiaye, Diop, Fall, Sow, Diallo, Gueye, Ba, Faye, Mbaye, Sarr', 0.5);
SELECT replay.add_bag('gn:sn:M', 'Mamadou, Moussa, Cheikh, Ibrahima, Ousmane, Abdoulaye, Modou, Babacar', 0.5);
SELECT replay.add_bag('gn:sn:F', 'Fatou, Aminata, Awa, Mariama, Aissatou, Khady, Ndeye, Astou', 0.5);
SELECT replay.add_bag('sn:mk', 'Stojanovski, Petrovski, Nikolovski, Jovanovski, Trajkovski, Ristovski, Dimitrovski, Memeti, Ademi, Iseni', 0.5);
SELECT replay.add_bag('gn:mk:M', 'Goran, Dragan, Zoran, Nikola, Aleksandar, Bujar, Arben, Dejan', 0.5);
SELECT replay.add_bag('gn:mk:F', 'Marija, Elena, Biljana, Snezana, Vesna, Arta, Jasmina, Ana', 0.5);

-- Where each group comes from: the foreign state whose Belfiore code its
-- members born abroad carry (a name pattern of ticket.birthplace; a group
-- whose state is not loaded, as with the small test fixture, is left out).
CREATE TABLE replay.origin (
    grp        text PRIMARY KEY,
    weight     integer NOT NULL,            -- households per 10,000
    countries  text NOT NULL,               -- ILIKE patterns, '|'-separated
    eu         boolean NOT NULL DEFAULT false,
    names      text NOT NULL                -- the group of its name bags
);
INSERT INTO replay.origin VALUES
    ('it_er', 7400, '', false, 'it'), ('it_south', 1400, '', false, 'it'),
    ('ab', 120, 'Svizzera|Germania|Belgio|Francia|Argentina|Venezuela|Brasile', false, 'it'),
    ('ro', 180, 'Romania', true, 'ro'), ('ma', 160, 'Marocco', false, 'ma'), ('al', 150, 'Albania', false, 'al'),
    ('ua', 70, 'Ucraina', false, 'ua'), ('md', 70, 'Moldova', false, 'md'), ('cn', 60, '%Cinese%', false, 'cn'),
    ('in', 40, 'India', false, 'in'), ('pk', 40, 'Pakistan', false, 'pk'), ('bd', 20, 'Bangladesh', false, 'bd'),
    ('tn', 50, 'Tunisia', false, 'tn'), ('ph', 30, 'Filippine', false, 'ph'), ('pl', 30, 'Polonia', true, 'pl'),
    ('gh', 20, 'Ghana', false, 'gh'), ('ng', 20, 'Nigeria', false, 'ng'), ('sn', 20, 'Senegal', false, 'sn'),
    ('mk', 40, 'Macedonia%', false, 'mk');

-- Places: the municipalities with most births, by pool (the AUSL of the
-- household, the rest of the region, the rest of Italy), with weights
-- close to their population in thousands; every other municipality of the
-- pool's provinces weighs `others`.
CREATE TABLE replay.place_src (
    pool       text NOT NULL,
    provinces  text[] NOT NULL,
    others     integer NOT NULL,           -- weight of every municipality not named
    named      text NOT NULL               -- 'NAME:weight, ...' (official names of ticket.birthplace)
);
INSERT INTO replay.place_src VALUES
    ('asl:080101', '{PC}', 2, $$PIACENZA:103, FIORENZUOLA D'ARDA:15, CASTEL SAN GIOVANNI:14, ROTTOFRENO:12, PODENZANO:9$$),
    ('asl:080102', '{PR}', 2, $$PARMA:195, FIDENZA:27, SALSOMAGGIORE TERME:20, COLLECCHIO:14, LANGHIRANO:10, BORGO VAL DI TARO:7$$),
    ('asl:080103', '{RE}', 2, $$REGGIO NELL'EMILIA:170, SCANDIANO:25, CORREGGIO:25, CASALGRANDE:19, GUASTALLA:15, CASTELNOVO NE' MONTI:10, MONTECCHIO EMILIA:10$$),
    ('asl:080104', '{MO}', 2, $$MODENA:185, CARPI:72, SASSUOLO:41, FORMIGINE:34, CASTELFRANCO EMILIA:33, VIGNOLA:25, MIRANDOLA:24, PAVULLO NEL FRIGNANO:17, FINALE EMILIA:15$$),
    ('asl:080105', '{BO}', 2, $$BOLOGNA:390, CASALECCHIO DI RENO:36, SAN LAZZARO DI SAVENA:32, VALSAMOGGIA:31, SAN GIOVANNI IN PERSICETO:28, ZOLA PREDOSA:19, BUDRIO:18, CASTEL MAGGIORE:18, PIANORO:17, CASTENASO:15, SAN PIETRO IN CASALE:12$$),
    ('asl:080106', '{BO}', 0, $$IMOLA:70, CASTEL SAN PIETRO TERME:21, MEDICINA:16, DOZZA:6, MORDANO:5, CASTEL GUELFO DI BOLOGNA:4, BORGO TOSSIGNANO:3, CASALFIUMANESE:3, FONTANELICE:2, CASTEL DEL RIO:1$$),
    ('asl:080109', '{FE}', 2, $$FERRARA:132, CENTO:35, COMACCHIO:22, ARGENTA:22, COPPARO:16, BONDENO:14, CODIGORO:12, PORTOMAGGIORE:12$$),
    ('asl:080114', '{RA,FO,FC,RN}', 2, $$RAVENNA:158, RIMINI:150, FORLÌ:118, CESENA:97, FAENZA:59, RICCIONE:35, LUGO:32, CERVIA:29, CESENATICO:26, SANTARCANGELO DI ROMAGNA:22, BELLARIA-IGEA MARINA:19, SAVIGNANO SUL RUBICONE:18, CATTOLICA:17, BAGNACAVALLO:16, FORLIMPOPOLI:13$$),
    ('it', '{NA,PA,RM,MI,TO,RC,CS,CZ,KR,VV,BA,FG,TA,LE,BR,SA,CE,AV,BN,PZ,MT,CT,ME,AG,CL,EN,TP,SR,RG,CA,SS,PE,CH,AQ,CB,AN,PU,PS,FI,PO,VR,PD,VE,MN,CR,GE,SP,RO}', 0,
     $$NAPOLI:40, PALERMO:30, ROMA:25, MILANO:15, TORINO:10, REGGIO DI CALABRIA:20, COSENZA:12, CATANZARO:10, CROTONE:12, VIBO VALENTIA:6, BARI:20, FOGGIA:20, TARANTO:15, LECCE:12, BRINDISI:10, SALERNO:15, CASERTA:10, AVELLINO:8, BENEVENTO:6, POTENZA:8, MATERA:6, CATANIA:20, MESSINA:15, AGRIGENTO:12, CALTANISSETTA:8, ENNA:5, TRAPANI:10, SIRACUSA:8, RAGUSA:6, CAGLIARI:8, SASSARI:6, PESCARA:6, CHIETI:5, L'AQUILA:5, CAMPOBASSO:6, ANCONA:6, PESARO:6, FIRENZE:8, PRATO:3, VERONA:5, PADOVA:5, VENEZIA:5, MANTOVA:8, CREMONA:6, GENOVA:6, LA SPEZIA:4, ROVIGO:6, PATERNÒ:3, SAN GIOVANNI ROTONDO:3$$);

-- The service mixes a GP prescribes (one branch each), by age group.
CREATE TABLE replay.mix (
    mix       text PRIMARY KEY,
    services  text[] NOT NULL,
    child     integer NOT NULL,             -- weights: under 14, 14-49, 50 and over
    adult     integer NOT NULL,
    senior    integer NOT NULL
);
INSERT INTO replay.mix VALUES
    ('first visit (cardiology)', '{89.7}', 4, 6, 8),
    ('first visit + ECG', '{89.7,89.52}', 2, 5, 10),
    ('control visit (cardiology)', '{89.01}', 0, 3, 8),
    ('ECG', '{89.52}', 2, 5, 6),
    ('Holter ECG', '{89.50}', 0, 2, 4),
    ('blood tests', '{90.27.1,90.28.1,90.62.2}', 10, 14, 16),
    ('lipids and blood count', '{90.43.2,90.62.2}', 2, 8, 10),
    ('chest X-ray', '{87.43.1}', 6, 8, 6),
    ('abdominal ultrasound', '{88.74.1}', 6, 10, 8),
    ('CT of the head', '{88.01.1}', 1, 3, 4),
    ('MRI of the brain', '{88.91.1}', 1, 5, 4),
    ('eye examination', '{95.02}', 20, 10, 8),
    ('orthopaedic visit', '{89.7.OR}', 8, 10, 5),
    ('cataract surgery', '{13.41}', 0, 0, 3),
    ('carpal tunnel release', '{04.43}', 0, 2, 1),
    ('hammer toe repair', '{77.56}', 0, 1, 1),
    ('walking test + ECG monitoring', '{89.44.2,89.54}', 0, 1, 2),
    ('photoplethysmography', '{89.58.1}', 0, 1, 2);
SELECT replay.add_bag('mix:child', string_agg(mix || ':' || child, ',' ORDER BY mix)) FROM replay.mix WHERE child > 0;
SELECT replay.add_bag('mix:adult', string_agg(mix || ':' || adult, ',' ORDER BY mix)) FROM replay.mix WHERE adult > 0;
SELECT replay.add_bag('mix:senior', string_agg(mix || ':' || senior, ',' ORDER BY mix)) FROM replay.mix WHERE senior > 0;
-- Priorities (none: a follow-up) and the wait each gives, in days.
SELECT replay.add_bag('priority', 'P:35, D:35, B:15, U:2, none:13');

-- Every name must be one the fiscal-code encoder takes: checked now, so
-- that a bad entry fails here rather than in the middle of the load.
SELECT count(ticket.fiscal_code_encode(s.s, 'Anna', 'F', date '1980-01-01', 'Z129')) AS surnames_ok
  FROM (SELECT DISTINCT unnest(items) AS s FROM replay.bag WHERE name LIKE 'sn:%') s \g /dev/null
SELECT count(ticket.fiscal_code_encode('Rossi', g.g, 'M', date '1980-01-01', 'Z129')) AS given_names_ok
  FROM (SELECT DISTINCT unnest(items) AS g FROM replay.bag WHERE name LIKE 'gn:%'
        UNION SELECT partner FROM replay.twin_name) g \g /dev/null
SELECT replay.index_bags();
\o
